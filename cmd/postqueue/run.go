package main

import (
	"os"
	"os/signal"
	"strings"
	"syscall"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/maillog"
	"gopostfix/libglobal/mailstream"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// prog is the censored process name: postqueue calls itself postqueue
// whatever argv[0] says.
const prog = "postqueue"

// exUnavailable is every fatal exit: Postfix's msg_cleanup hook of
// postqueue exits with EX_UNAVAILABLE before the status a fatal call
// names could take effect.
const exUnavailable = 69

// pq is one postqueue run.
type pq struct {
	log *msg.Logger
	cfg *mailconf.Config
	g   *mailconf.Global
}

func run(argv []string) int {
	stderr := msg.NewWriterSink(prog, os.Stderr)
	log := msg.New(stderr)
	log.Printable = true
	log.Exit = func(int) { os.Exit(exUnavailable) }
	if _, err := maillog.Setup(log, prog, maillog.Settings{}, stderr); err != nil {
		log.Fatalf("%v", err)
	}
	req := parseArgs(log, argv)

	if err := mailstream.CheckConfigDir(os.Getenv(mailconf.EnvDir), log); err != nil {
		log.Fatalf("%v", err)
	}
	cfg, err := mailconf.Load("", log)
	if err != nil {
		log.Fatalf("%v", err)
	}
	g, err := cfg.CheckGlobal()
	if err != nil {
		log.Fatalf("%v", err)
	}
	p := &pq{log: log, cfg: cfg, g: g}
	if _, err := maillog.Setup(log, prog, libmaster.LogSettings(p.str), stderr); err != nil {
		log.Fatalf("%v", err)
	}
	cleanEnv(p.str("import_environment"))
	qdir := p.str("queue_directory")
	if err := os.Chdir(qdir); err != nil {
		log.Fatalf("chdir %s: %s", qdir, queue.Strerror(err))
	}
	signal.Ignore(syscall.SIGPIPE)

	p.validate(req)
	switch req.mode {
	case modeList, modeJSON:
		p.showQueue(req.mode)
	case modeSite:
		p.flushSite(req.site)
	case modeFile:
		p.flushFile(req.id)
	case modeFlushQ:
		p.flushQueue()
	default:
		usage(log)
	}
	return 0
}

// str returns a parameter; a bad value is fatal.
func (p *pq) str(name string) string {
	v, err := p.cfg.Str(name)
	if err != nil {
		p.log.Fatalf("%v", err)
	}
	return v
}

// validate checks the site and queue ID arguments before anything is
// asked of the mail system.
func (p *pq) validate(req request) {
	if req.mode == modeSite && !validSite(req.site) {
		p.log.Fatalf("Cannot flush mail queue - invalid destination: \"%s\"", clip100(req.site))
	}
	if req.mode == modeFile && !queue.IDOK(req.id) {
		p.log.Fatalf("Cannot flush queue ID - invalid name: \"%s\"", clip100(req.id))
	}
}

// clip100 is "%.100s%s" with "..." after a longer text.
func clip100(s string) string {
	if len(s) > 100 {
		return s[:100] + "..."
	}
	return s
}

// cleanEnv keeps only the import_environment variables and sets its
// name=value entries (clean_env): the program is set-gid and must not
// trust its caller's environment.
func cleanEnv(list string) {
	keep := map[string]string{}
	var set [][2]string
	for _, item := range mailconf.SplitList(list) {
		if name, value, ok := strings.Cut(item, "="); ok {
			set = append(set, [2]string{name, value})
		} else if v, ok := os.LookupEnv(item); ok {
			keep[item] = v
		}
	}
	os.Clearenv()
	for k, v := range keep {
		os.Setenv(k, v)
	}
	for _, kv := range set {
		os.Setenv(kv[0], kv[1])
	}
}

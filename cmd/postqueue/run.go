package main

import (
	"os"
	"os/signal"
	"syscall"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/maillog"
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

	mailconf.CheckConfigDir(log, os.Getenv(mailconf.EnvDir))
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
	if err := mailconf.CleanEnv(p.str("import_environment")); err != nil {
		log.Fatalf("%v", err)
	}
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

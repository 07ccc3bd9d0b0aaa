package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"syscall"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/getopt"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// sysexits(3) codes.
const (
	exUsage       = 64
	exDataErr     = 65
	exNoUser      = 67
	exUnavailable = 69
	exSoftware    = 70
	exOSErr       = 71
	exNoPerm      = 77
)

// Delivery request trace flags (deliver_request.h) sendmail can ask for.
const (
	traceUserVerify = 1 << 9  // -bv
	traceRecord     = 1 << 10 // -v
)

// sendmail is one run of the command.
type sendmail struct {
	log      *msg.Logger
	cfg      *mailconf.Config
	prog     string
	mode     int
	aeof     bool // a line with a single dot ends the message
	extract  bool // -t
	trace    int
	sender   *string
	fullName *string
	encoding string
	envid    string
	ret      int
	notify   int
	rwr      string // rewrite_context
	verp     *string
	siteQ    string // -qR
	idQ      string // -qI
	qtime    bool   // -q<time>
	aliasArg string // -oA
	rcpts    []string
}

// fatal exits with a sysexits status after a fatal message.
func (sm *sendmail) fatal(status int, format string, args ...any) {
	sm.log.FatalStatusf(status, format, args...)
}

func (sm *sendmail) str(name string) string {
	v, err := sm.cfg.Str(name)
	if err != nil {
		sm.log.Fatalf("%v", err)
	}
	return v
}

func newSendmail(log *msg.Logger, stderr msg.Sink, argv []string) *sendmail {
	sm := &sendmail{log: log, prog: argv[0], aeof: true, rwr: "local"}
	if os.Geteuid() == 0 && os.Getuid() != 0 {
		log.Warnf("the Postfix sendmail command has set-uid root file permissions")
		log.Warnf("or the command is run from a set-uid root process")
		log.Warnf("the Postfix sendmail command must be installed without set-uid root file permissions")
		syscall.Setgid(os.Getgid())
		syscall.Setuid(os.Getuid())
	}
	args, flushQ, verpDefault := sm.rewriteArgs(argv)
	dir := configDir(args)
	cfg, err := mailconf.Load(dir, log)
	if err != nil {
		log.Fatalf("%v", err)
	}
	sm.cfg = cfg
	if _, err := cfg.CheckGlobal(); err != nil {
		log.Fatalf("%v", err)
	}
	logTo(log, libmaster.LogSettings(sm.str), stderr)
	qdir := sm.str("queue_directory")
	if err := os.Chdir(qdir); err != nil {
		sm.fatal(exUnavailable, "chdir %s: %s", qdir, queue.Strerror(err))
	}
	switch sm.prog {
	case "mailq":
		sm.mode = modeMailq
	case "newaliases":
		sm.mode = modeNewAlias
	case "smtpd":
		sm.mode = modeDaemon
	default:
		sm.mode = modeEnqueue
	}
	if flushQ {
		if sm.mode == modeDaemon {
			log.Warnf("ignoring -q option in daemon mode")
		} else {
			sm.mode = modeFlushq
		}
	}
	if verpDefault {
		v := sm.str("default_verp_delimiters")
		sm.verp = &v
	}
	sm.parse(args)
	return sm
}

// parse handles the options (second pass).
func (sm *sendmail) parse(args []string) {
	var errs bytes.Buffer
	opts, operands := getopt.Parse(args, optString, &errs)
	for _, o := range opts {
		sm.option(o, &errs)
	}
	sm.rcpts = operands
	sm.checkModes()
}

func (sm *sendmail) option(o getopt.Option, errs *bytes.Buffer) {
	log := sm.log
	arg := o.Arg
	first := byte(0)
	if arg != "" {
		first = arg[0]
	}
	switch o.Char {
	case '?':
		line, _, _ := strings.Cut(errs.String(), "\n")
		os.Stderr.WriteString(line + "\n")
		sm.fatal(exUsage, "usage: %s [options]", sm.prog)
	case 'n':
		sm.fatal(exUsage, "-%c option not supported", o.Char)
	case 'B':
		switch arg {
		case "8BITMIME":
			sm.encoding = "8bit"
		case "7BIT":
			sm.encoding = "7bit"
		default:
			sm.fatal(exUsage, "-B option needs 8BITMIME or 7BIT")
		}
	case 'F':
		sm.fullName = &o.Arg
	case 'G':
		sm.rwr = "remote"
	case 'I':
		sm.mode = modeNewAlias
	case 'N':
		var unknown string
		if sm.notify, unknown = dsnNotifyMask(arg); unknown != "" {
			log.Warnf("unknown DSN NOTIFY command value \"%s\" in \"%s\"", unknown, arg)
		}
		if sm.notify == 0 {
			log.Warnf("bad -N option value -- ignored")
		}
	case 'R':
		if sm.ret = dsnRetCode(arg); sm.ret == 0 {
			log.Warnf("bad -R option value -- ignored")
		}
	case 'V':
		switch {
		case len(arg) > 100:
			log.Warnf("too long -V option value -- ignored")
		case !allPrint(arg):
			log.Warnf("bad syntax in -V option value -- ignored")
		default:
			sm.envid = arg
		}
	case 'X':
		if first != 'V' {
			sm.fatal(exUsage, "unsupported: -%c%c", o.Char, first)
		}
		d := arg[1:]
		if !sm.verpOK(d) {
			sm.fatal(exUsage, "-V requires two characters from %s", sm.str("verp_delimiter_filter"))
		}
		sm.verp = &d
	case 'b':
		sm.bMode(first)
	case 'f', 'r':
		sm.sender = &o.Arg
	case 'i':
		sm.aeof = false
	case 'o':
		switch first {
		case 'A':
			if len(arg) == 1 {
				sm.fatal(exUsage, "-oA requires pathname")
			}
			sm.aliasArg = arg[1:]
		case 'i':
			sm.aeof = false
		case '7', '8', 'm':
		default:
			log.Debugf("-%c%c option ignored", o.Char, first)
		}
	case 'q':
		sm.qOption(arg)
	case 't':
		sm.extract = true
	case 'v':
		log.Verbose++
	default:
		log.Debugf("-%c option ignored", o.Char)
	}
}

func (sm *sendmail) bMode(c byte) {
	switch c {
	case 'd', 'l':
		if sm.mode == modeFlushq {
			sm.log.Warnf("ignoring -q option in daemon mode")
		}
		sm.mode = modeDaemon
	case 'h', 'H':
		sm.mode = modeIgnore
	case 'i':
		sm.mode = modeNewAlias
	case 'm':
		sm.mode = modeEnqueue
	case 'p':
		sm.mode = modeMailq
	case 's':
		sm.mode = modeUser
	case 'v':
		sm.trace |= traceUserVerify
	default:
		sm.fatal(exUsage, "unsupported: -b%c", c)
	}
}

func (sm *sendmail) qOption(arg string) {
	switch {
	case arg != "" && arg[0] >= '0' && arg[0] <= '9':
		sm.qtime = true
	case strings.HasPrefix(arg, "R"):
		if sm.siteQ = arg[1:]; sm.siteQ == "" {
			sm.fatal(exUsage, "specify: -qRsitename")
		}
	case strings.HasPrefix(arg, "I"):
		if sm.idQ = arg[1:]; sm.idQ == "" {
			sm.fatal(exUsage, "specify: -qIqueueid")
		}
	default:
		c := byte(0)
		if arg != "" {
			c = arg[0]
		}
		sm.fatal(exUsage, "-q%c is not implemented", c)
	}
}

// checkModes rejects option combinations, as the real command does.
func (sm *sendmail) checkModes() {
	if sm.extract && sm.mode != modeEnqueue {
		sm.fatal(exUsage, "-t can be used only in delivery mode")
	}
	if sm.siteQ != "" && sm.mode != modeEnqueue {
		sm.fatal(exUsage, "-qR can be used only in delivery mode")
	}
	if sm.idQ != "" && sm.mode != modeEnqueue {
		sm.fatal(exUsage, "-qI can be used only in delivery mode")
	}
	if sm.trace&traceUserVerify != 0 {
		switch {
		case sm.extract:
			sm.fatal(exUsage, "-t option cannot be used with -bv")
		case sm.notify != 0:
			sm.fatal(exUsage, "-N option cannot be used with -bv")
		case sm.ret != 0:
			sm.fatal(exUsage, "-R option cannot be used with -bv")
		case sm.log.Verbose == 1:
			sm.fatal(exUsage, "-v option cannot be used with -bv")
		}
	}
	if sm.log.Verbose == 1 && sm.mode == modeEnqueue {
		sm.log.Verbose = 0
		sm.trace |= traceRecord
	}
}

func allPrint(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// run performs the selected mode.
func (sm *sendmail) run(in io.Reader, out io.Writer) {
	if sm.qtime && sm.mode != modeDaemon {
		os.Exit(0)
	}
	switch sm.mode {
	case modeEnqueue:
		switch {
		case sm.siteQ != "":
			sm.noRecipients("flush site requires no recipient")
			sm.replace("postqueue", "-s", sm.siteQ)
		case sm.idQ != "":
			sm.noRecipients("flush queue_id requires no recipient")
			sm.replace("postqueue", "-i", sm.idQ)
		default:
			sm.enqueue(in, out)
			os.Exit(0)
		}
	case modeMailq:
		sm.noRecipients("display queue mode requires no recipient")
		sm.replace("postqueue", "-p")
	case modeFlushq:
		sm.noRecipients("flush queue mode requires no recipient")
		sm.replace("postqueue", "-f")
	case modeDaemon:
		sm.noRecipients("daemon mode requires no recipient")
		os.Exit(sm.background())
	case modeNewAlias:
		sm.newaliases()
	case modeUser:
		sm.standalone()
	case modeIgnore:
		os.Exit(0)
	}
}

func (sm *sendmail) noRecipients(text string) {
	if len(sm.rcpts) > 0 {
		sm.fatal(exUsage, "%s", text)
	}
}

// verpOK checks VERP delimiters (verp_delims_verify): exactly two
// characters, both from verp_delimiter_filter.
func (sm *sendmail) verpOK(d string) bool {
	filter := sm.str("verp_delimiter_filter")
	return len(d) == 2 && strings.IndexByte(filter, d[0]) >= 0 && strings.IndexByte(filter, d[1]) >= 0
}

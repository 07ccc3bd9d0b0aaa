package libmaster

import (
	"gopostfix/libglobal/util/dict"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/maillog"
	"gopostfix/libglobal/util/msg"
)

// Options are what a daemon declares to its skeleton (the
// CA_MAIL_SERVER_* arguments of Postfix).
type Options struct {
	// Solitary daemons need a process limit of 1 (-l), Unlimited ones a
	// limit of 0 (-z); Privileged ones refuse -u.
	Solitary, Unlimited, Privileged bool
	// PreInit runs in the queue directory before chroot and privilege
	// drop; PostInit after them. An error is fatal.
	PreInit, PostInit func(s *Server) error
	// OnExit runs before the process exits normally.
	OnExit func(s *Server)
	// Retire makes the process exit after -r seconds, or after
	// max_idle*max_use (at most 18000 s) (MAIL_SERVER_RETIRE_ME).
	Retire bool
	// BlockingIO makes a single server with one listening socket (not a
	// "pass" service) accept with blocking system calls and give the
	// service an *fdconn.Conn, outside the Go network poller: see
	// package fdconn for why a one-client-at-a-time daemon is cheaper so.
	// A trigger server on one UNIX socket likewise accepts and reads its
	// triggers with blocking system calls.
	BlockingIO bool
	// TimerSlack, when positive, is set as the timer slack of every
	// thread at start-up (as root, before the privilege drop): the Go
	// runtime's monitor thread wakes up to every 20us while a process is
	// busy, and a slack lets the kernel batch those wake-ups with other
	// events. Timers may then fire that much later.
	TimerSlack time.Duration
	// GCPercent, when positive, replaces the garbage collector's default
	// of 100 (unless GOGC is set in the environment), and the memory
	// left over from start-up is returned to the system after PostInit:
	// a daemon that keeps little live data then stays near that size
	// instead of growing to the runtime's 4 MB minimum heap target.
	GCPercent int

	// acceptLock is set by the skeletons that serialise accept with
	// pid/<type>.<service>; the file is opened before the privilege
	// drop, as single_server.c and trigger_server.c do.
	acceptLock bool
}

// Server is the running daemon as its service sees it.
type Server struct {
	Log      *msg.Logger
	Config   *mailconf.Config
	Flags    *Flags
	Name     string // service name (master.cf column 1, or -n)
	Prog     string // process name (basename of argv[0])
	QueueDir string
	// IPCTimeout is ipc_timeout, for the service's own streams.
	IPCTimeout time.Duration
	// Global holds what mail_params_init checks and looks up at start-up
	// (the mail_owner, default_privs and setgid_group IDs, myorigin),
	// read before the chroot jail.
	Global *mailconf.Global

	opts    Options
	status  *notifier
	logger  *maillog.Logger
	maxUse  int
	maxIdle time.Duration
	lock    *os.File
	dog     *Watchdog

	preDisconnect func(s *Server, c net.Conn)

	mu      sync.Mutex
	uses    int
	clients int
	idle    *time.Timer
	exiting bool
}

// fatal logs and exits with status 1.
func (s *Server) fatal(format string, args ...any) {
	s.Log.Fatalf(format, args...)
	os.Exit(1)
}

// initFatal ends the process when PreInit or PostInit failed. A table
// open that Postfix makes fatal whatever dict_allow_surrogate says
// (dict.Fatal: a proxymap refusal, a cidr read error ...) is reported
// with the table's own text, without the context the daemon wrapped
// around it, as dict_open's msg_fatal does.
func (s *Server) initFatal(err error) {
	if err == nil {
		return
	}
	if e := dict.Fatal(err); e != nil {
		s.fatal("%s", e.Msg)
	}
	s.fatal("%v", err)
}

// Exit ends the process normally, running OnExit first.
func (s *Server) Exit() {
	s.mu.Lock()
	if s.exiting {
		s.mu.Unlock()
		select {} // another goroutine is running the exit handler
	}
	s.exiting = true
	s.mu.Unlock()
	if s.opts.OnExit != nil {
		s.opts.OnExit(s)
	}
	os.Exit(0)
}

// start does the common start-up of every skeleton, up to and including
// PostInit. transports lists the -t values the skeleton serves.
func start(argv []string, opts Options, transports ...string) *Server {
	if opts.TimerSlack > 0 {
		SetTimerSlack(opts.TimerSlack)
	}
	prog := filepath.Base(argv[0])
	log := msg.New()
	if os.Getenv("MAIL_VERBOSE") != "" {
		log.Verbose = 1
	}
	s := &Server{Log: log, Prog: prog, opts: opts}
	lg, err := maillog.Setup(log, prog, maillog.Settings{})
	if err != nil {
		log.SetSinks(msg.NewWriterSink(prog, os.Stderr))
		s.fatal("%v", err)
	}
	s.logger = lg
	cfg, err := mailconf.Load("", log)
	if err != nil {
		s.fatal("%v", err)
	}
	s.Config = cfg
	cfg.Override("process_name", prog)

	flags, err := ParseFlags(argv)
	if err != nil {
		s.fatal("%v", err)
	}
	s.Flags = flags
	log.Verbose += flags.Verbose
	var keep []msg.Sink
	if flags.Stderr {
		keep = append(keep, msg.NewWriterSink(maillog.Tag(s.Str("syslog_name"), prog), os.Stderr))
		log.AddSink(keep[0])
	}
	for _, o := range flags.Overrides {
		cfg.Override(o[0], o[1])
	}
	s.Name = flags.ServiceName
	cfg.Override("service_name", s.Name)
	s.setupLogging(keep)
	// Every logged message is made printable as msg_output does, keeping
	// UTF-8 when smtputf8_enable says so (util_utf8_enable).
	log.Printable, log.PrintableUTF8 = true, s.Bool("smtputf8_enable")
	s.QueueDir = s.Str("queue_directory")
	s.IPCTimeout = s.Time("ipc_timeout")
	s.maxUse = s.Int("max_use")
	s.maxIdle = s.Time("max_idle")

	if !flags.Foreground && !flags.StandAlone && isTerminal(0) {
		log.SetSinks(msg.NewWriterSink(prog, os.Stderr))
		s.fatal("do not run this command by hand")
	}
	s.checkDeclarations(transports)
	s.status = &notifier{pid: os.Getpid()}
	if g := os.Getenv("GENERATION"); g != "" {
		gen, err := ParseGeneration(g)
		if err != nil {
			s.fatal("%v", err)
		}
		s.status.gen = gen
		log.Debugf("process generation: %s (%o)", g, gen)
	}
	if !flags.StandAlone {
		s.status.f = os.NewFile(StatusFD, "master status")
	}
	if flags.Debug || os.Getenv("MAIL_DEBUG") != "" {
		DebugProcess(cfg, log)
	}
	s.dog = NewWatchdog(s.Time("daemon_timeout"), log)
	// What needs the files of /etc (user and group IDs, the local time
	// zone) is read now, before a chroot jail hides them.
	if s.Global, err = cfg.CheckGlobal(); err != nil {
		s.fatal("%v", err)
	}
	_ = time.Local.String() // loads the zone
	if err := os.Chdir(s.QueueDir); err != nil {
		s.fatal("chdir(\"%s\"): %s", s.QueueDir, dict.ErrnoText(err))
	}
	// From now on the queue directory is the working directory (and "/"
	// in a chroot jail): its files are named relative to it, as Postfix
	// names them.
	queueDir := s.QueueDir
	s.QueueDir = "."
	if opts.PreInit != nil {
		s.initFatal(opts.PreInit(s))
	}
	if opts.acceptLock && !flags.Solitary && !flags.StandAlone {
		s.openAcceptLock()
	}
	root, user := "", ""
	if flags.Chroot {
		root = queueDir
	}
	if flags.DropPrivs {
		user = s.Str("mail_owner")
	}
	if err := chrootUID(root, user); err != nil {
		s.fatal("%v", err)
	}
	if opts.PostInit != nil {
		s.initFatal(opts.PostInit(s))
	}
	if opts.GCPercent > 0 && os.Getenv("GOGC") == "" {
		debug.SetGCPercent(opts.GCPercent)
		debug.FreeOSMemory()
	}
	return s
}

// LogSettings collects the logging parameters through get.
func LogSettings(get func(string) string) maillog.Settings {
	return maillog.Settings{Configured: true,
		SyslogName: get("syslog_name"), Facility: get("syslog_facility"),
		MaillogFile: get("maillog_file"), FilePrefixes: get("maillog_file_prefixes"),
		QueueDir: get("queue_directory"), PostlogService: get("postlog_service_name"),
		Hostname: get("myhostname")}
}

// Str returns a parameter's expanded value; a bad value is fatal, as in
// Postfix's get_mail_conf_*.
func (s *Server) Str(name string) string {
	v, err := s.Config.Str(name)
	if err != nil {
		s.fatal("%v", err)
	}
	return v
}

// Bool returns a yes/no parameter.
func (s *Server) Bool(name string) bool {
	v, err := s.Config.Bool(name)
	if err != nil {
		s.fatal("%v", err)
	}
	return v
}

// Int returns an integer parameter.
func (s *Server) Int(name string) int {
	v, err := s.Config.Int(name)
	if err != nil {
		s.fatal("%v", err)
	}
	return v
}

// Time returns a time parameter.
func (s *Server) Time(name string) time.Duration {
	v, err := s.Config.Time(name)
	if err != nil {
		s.fatal("%v", err)
	}
	return v
}

// setupLogging switches to the configured log destination.
func (s *Server) setupLogging(keep []msg.Sink) {
	lg, err := maillog.Setup(s.Log, s.Prog, LogSettings(s.Str), keep...)
	if err != nil {
		s.fatal("%v", err)
	}
	if s.logger != nil {
		s.logger.Close()
	}
	s.logger = lg
}

// checkDeclarations enforces the daemon's process-limit and privilege
// declarations and the transport type.
func (s *Server) checkDeclarations(transports []string) {
	f := s.Flags
	if f.StandAlone {
		return
	}
	if s.opts.Solitary && !f.Solitary {
		s.fatal("service %s requires a process limit of 1", s.Name)
	}
	if s.opts.Unlimited && !f.Unlimited {
		s.fatal("service %s requires a process limit of 0", s.Name)
	}
	if s.opts.Privileged && f.DropPrivs {
		s.fatal("service %s requires privileged operation", s.Name)
	}
	if f.Transport == "" {
		s.fatal("no transport type specified")
	}
	for _, t := range transports {
		if strings.EqualFold(t, f.Transport) {
			return
		}
	}
	s.fatal("unsupported transport type: %s", f.Transport)
}

// isTerminal reports whether fd is a terminal (isatty).
func isTerminal(fd int) bool {
	var t syscall.Termios
	_, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return e == 0
}

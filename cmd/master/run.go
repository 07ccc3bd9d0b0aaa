package main

import (
	"gopostfix/libglobal/util/dict"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"

	"gopostfix/libglobal/maillog"
	"gopostfix/libglobal/util/getopt"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// monitorEnv carries the -w monitor pipe to the re-executed daemon.
const monitorEnv = "GOPOSTFIX_MASTER_MONITOR"

// initTimeout bounds the -w wait (MASTER_INIT_TIMEOUT).
const initTimeout = 100 * time.Second

func usage(log *msg.Logger, me string) {
	log.Fatalf("usage: %s [-c config_dir] [-D (debug)] [-d (don't detach from terminal)] [-e exit_time] [-t (test)] [-v] [-w (wait for initialization)]", me)
}

// masterTimerSlack is the timer slack of the thread that runs master's
// event loop and starts the children, which inherit it.
const masterTimerSlack = time.Millisecond

// runtimeTimerSlack is the timer slack of master's other threads, the Go
// runtime's monitor thread among them.
const runtimeTimerSlack = 50 * time.Millisecond

// Main runs master and returns its exit status.
func Main(argv []string, log *msg.Logger) int {
	syscall.Umask(0o077)
	signal.Ignore(syscall.SIGPIPE)
	// Before main.cf the environment decides between syslog and
	// postlogd; errors also go to stderr until the daemon detaches.
	maillog.Setup(log, "master", maillog.Settings{}, msg.NewWriterSink("postfix/master", os.Stderr))
	if os.Getenv("MAIL_VERBOSE") != "" {
		log.Verbose = 1
	}
	if os.Getuid() != 0 {
		log.Fatalf("the master command is reserved for the superuser")
	}
	m := &master{log: log, children: map[int]*proc{}, removed: map[*service]bool{}}
	var debug, keepStdout, testLock, wait bool
	detach := true
	exitAfter := 0
	opts, operands := getopt.Parse(argv, "+c:Dde:istvw", discard{})
	for _, o := range opts {
		switch o.Char {
		case 'c':
			os.Setenv("MAIL_CONFIG", o.Arg)
		case 'd':
			detach = false
		case 'e':
			exitAfter = atoi(o.Arg)
		case 'i':
			if os.Getpid() != 1 {
				log.Fatalf("-i is allowed only for PID 1 process")
			}
			m.initMode = true
			keepStdout = true
		case 'D':
			debug = true
		case 's':
			keepStdout = true
		case 't':
			testLock = true
		case 'v':
			log.Verbose++
		case 'w':
			wait = true
		default:
			usage(log, argv[0])
		}
	}
	if len(operands) > 0 {
		usage(log, argv[0])
	}
	if testLock && wait {
		log.Fatalf("the -t and -w options cannot be used together")
	}
	if m.initMode && (debug || !detach || wait) {
		log.Fatalf("the -i option cannot be used with -D, -d, or -w")
	}
	if wait && os.Getenv(monitorEnv) == "" {
		return monitor(log, argv)
	}
	var monitorFd *os.File
	if v := os.Getenv(monitorEnv); v != "" {
		fd, _ := strconv.Atoi(v)
		monitorFd = os.NewFile(uintptr(fd), "monitor")
		os.Unsetenv(monitorEnv)
	}
	m.foreground = !detach
	// Diagnostics also go to stderr until the daemon detaches.
	m.stderr = msg.NewWriterSink("postfix/master", os.Stderr)
	m.varsInit()
	if testLock {
		return testRunning(m)
	}
	if detach {
		redirectStdio(log, keepStdout)
		m.stderr = nil
		m.setupLogging()
	}
	if !m.initMode && !debug && detach {
		if _, err := syscall.Setsid(); err != nil {
			if sid, _, _ := syscall.RawSyscall(syscall.SYS_GETSID, 0, 0, 0); int(sid) != os.Getpid() {
				log.Fatalf("unable to set session and process group ID: %s", dict.ErrnoText(err))
			}
		}
	}
	m.cleanEnv()
	if err := os.Chdir(m.queueDir); err != nil {
		log.Fatalf("chdir %s: %s", m.queueDir, dict.ErrnoText(err))
	}
	locks := m.locks()
	defer func() {
		for _, f := range locks {
			f.Close()
		}
	}()
	// master blocks in epoll_wait between events; the Go runtime's
	// monitor thread then takes the processor back and polls every 20us
	// again, a quarter of master's CPU under load. A timer slack lets
	// the kernel batch those wake-ups: 50ms for every thread but the one
	// of the event loop, which stays on its thread from here on and
	// gets 1ms, since the children it starts inherit its slack (1ms
	// keeps their timers as they were for any practical purpose).
	runtime.LockOSThread()
	libmaster.SetTimerSlack(runtimeTimerSlack)
	setThreadTimerSlack(masterTimerSlack)
	l, err := newLoop()
	if err != nil {
		log.Fatalf("event loop: %v", err)
	}
	m.loop = l
	if err := syscall.Pipe2(m.flow[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		log.Fatalf("pipe: %s", dict.ErrnoText(err))
	}
	m.config()
	m.setupLogging()
	m.refreshEnv()
	log.Infof("daemon started -- version %s, configuration %s", m.str("mail_version"), m.configDir)
	if debug {
		libmaster.DebugProcess(m.cfg, log)
	}
	if monitorFd != nil {
		monitorFd.Write([]byte{0})
		monitorFd.Close()
	}
	daemon.SdNotify(false, daemon.SdNotifyReady)
	if exitAfter > 0 {
		m.loop.after(time.Duration(exitAfter)*time.Second, "exit", func() {
			log.Infof("master exit time has arrived")
			os.Exit(0)
		})
	}
	m.run()
	return 0
}

// testRunning is "master -t": exit 0 when no master holds the lock.
func testRunning(m *master) int {
	if err := os.Chdir(m.queueDir); err != nil {
		m.log.Fatalf("chdir %s: %s", m.queueDir, dict.ErrnoText(err))
	}
	if _, err := os.Stat("pid/master.pid"); err != nil {
		return 0
	}
	f, err := openLock("pid/master.pid")
	if err != nil {
		return 1
	}
	f.Close()
	return 0
}

// monitor is "master -w": start the daemon and return only when it says
// it is initialized (master_monitor).
func monitor(log *msg.Logger, argv []string) int {
	r, w, err := os.Pipe()
	if err != nil {
		log.Fatalf("pipe: %s", dict.ErrnoText(err))
	}
	self, err := os.Executable()
	if err != nil {
		self = argv[0]
	}
	cmd := exec.Command(self, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Env = append(os.Environ(), monitorEnv+"=3")
	cmd.ExtraFiles = []*os.File{w}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		log.Fatalf("fork: %s", dict.ErrnoText(err))
	}
	w.Close()
	r.SetReadDeadline(time.Now().Add(initTimeout))
	buf := make([]byte, 1)
	if n, err := r.Read(buf); n != 1 {
		if err != nil && !os.IsTimeout(err) && err.Error() != "EOF" {
			log.Warnf("%v while waiting for daemon initialization", err)
		}
		log.Fatalf("daemon initialization failure -- see logs for details")
	}
	cmd.Process.Release()
	return 0
}

// redirectStdio points 0, 1 and 2 at /dev/null (1 stays with -s/-i).
func redirectStdio(log *msg.Logger, keepStdout bool) {
	null, err := syscall.Open("/dev/null", syscall.O_RDWR, 0)
	if err != nil {
		log.Fatalf("open /dev/null: %s", dict.ErrnoText(err))
	}
	for fd := 0; fd < 3; fd++ {
		if fd == 1 && keepStdout {
			continue
		}
		syscall.Dup3(null, fd, 0)
	}
	if null > 2 {
		syscall.Close(null)
	}
}

func ignoreTerm()                    { signal.Ignore(syscall.SIGTERM) }
func resetSignal(sig syscall.Signal) { signal.Reset(sig) }

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

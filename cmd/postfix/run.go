package main

import (
	"fmt"
	"gopostfix/libglobal/util/dict"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/maillog"
	"gopostfix/libglobal/util/getopt"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// ctl is one run of the postfix command.
type ctl struct {
	log         *msg.Logger // postfix's own messages
	script      *msg.Logger // postfix-script's messages
	cfg         *mailconf.Config
	dirs        map[string]string // the parameters exported to the scripts
	tag         string            // $MAIL_LOGTAG
	shared      bool              // not a secondary instance: check shared files too
	logSettings maillog.Settings
}

func (c *ctl) str(name string) string {
	v, err := c.cfg.Str(name)
	if err != nil {
		c.log.Fatalf("%v", err)
	}
	return v
}

func run(argv []string) int {
	syscall.Umask(0o022)
	prog := filepath.Base(argv[0])
	log := msg.New()
	maillog.Setup(log, prog, maillog.Settings{Fallback: true}, sinksOf(prog)...)
	opts, operands := getopt.Parse(argv, "+c:Dv", os.Stderr)
	for _, o := range opts {
		switch o.Char {
		case 'c':
			if !strings.HasPrefix(o.Arg, "/") {
				log.Fatalf("-c requires absolute pathname")
			}
			os.Setenv("MAIL_CONFIG", o.Arg)
		case 'D':
			os.Setenv("MAIL_DEBUG", "")
		case 'v':
			log.Verbose++
			os.Setenv("MAIL_VERBOSE", "")
		default:
			log.Fatalf("usage: %s [-c config_dir] [-Dv] command", prog)
		}
	}
	_, forceSingle := os.LookupEnv(mailconf.EnvDir)
	cfg, err := mailconf.Load("", log)
	if err != nil {
		log.Fatalf("%v", err)
	}
	g, err := cfg.CheckGlobal()
	if err != nil {
		log.Fatalf("%v", err)
	}
	c := &ctl{log: log, cfg: cfg, dirs: map[string]string{}}
	c.cleanEnv()
	settings := libmaster.LogSettings(c.str)
	settings.Fallback = true
	maillog.Setup(log, prog, settings, sinksOf(prog)...)
	if uid := os.Getuid(); uid != 0 && uid != g.OwnerUID {
		log.Errorf("to submit mail, use the Postfix sendmail command")
		log.Fatalf("the postfix command is reserved for the superuser")
	}
	if g.CompatLevel < lastCompatLevel() {
		log.Infof("Postfix is using backwards-compatible default settings")
		log.Infof("See http://www.postfix.org/COMPATIBILITY_README.html for details")
		log.Infof("To disable backwards compatibility use \"postconf compatibility_level=%s\" and \"postfix reload\"", lastCompatName)
	}
	c.exportParams()
	for _, d := range []string{"command_directory", "daemon_directory", "queue_directory"} {
		if err := os.Chdir(c.dirs[d]); err != nil {
			log.Fatalf("chdir(%s): %s", c.dirs[d], dict.ErrnoText(err))
		}
	}
	if !forceSingle && len(mailconf.SplitList(c.str("multi_instance_directories"))) > 0 {
		return c.multiInstance(operands)
	}
	c.script = msg.New()
	c.tag = os.Getenv("MAIL_LOGTAG")
	if c.tag == "" {
		c.tag = c.str("syslog_name")
	}
	c.logSettings = settings
	c.script = c.scriptLogger("postfix-script")
	if rc := c.scriptPreamble(); rc >= 0 {
		return rc
	}
	return c.command(operands)
}

// scriptLogger is the logger of one of postfix's scripts ("$FATAL ..."):
// through postlog -t $MAIL_LOGTAG/NAME, or directly when there is no
// postlog.
func (c *ctl) scriptLogger(name string) *msg.Logger {
	l := msg.New()
	if sinks := c.scriptSinks(c.tag + "/" + name); sinks != nil {
		l.SetSinks(sinks...)
		return l
	}
	ss := c.logSettings
	ss.SyslogName = c.tag
	maillog.Setup(l, name, ss, sinksOf(c.tag+"/"+name)...)
	return l
}

// sinksOf returns the logger's stderr sink, if any, to keep next to the
// log destination.
func sinksOf(prog string) []msg.Sink {
	if isTerminal(2) {
		return []msg.Sink{msg.NewWriterSink(prog, os.Stderr)}
	}
	return nil
}

// fatal logs like "$FATAL ..." and returns the script's exit status.
func (c *ctl) fatal(format string, args ...any) int {
	c.script.Exit = func(int) {}
	c.script.Fatalf(format, args...)
	return 1
}

func (c *ctl) daemon(name string) string { return filepath.Join(c.dirs["daemon_directory"], name) }

// running is the script's "$daemon_directory/master -t 2>/dev/null"
// turned around: master -t succeeds when no master holds the lock, and
// anything else (a master that cannot run included) counts as running.
func (c *ctl) running() bool { return c.masterTest(false) }

// masterTest runs master -t; its complaints show when showErrors is set.
func (c *ctl) masterTest(showErrors bool) bool {
	cmd := exec.Command(c.daemon("master"), "-t")
	if showErrors {
		cmd.Stderr = os.Stderr
	}
	return cmd.Run() != nil
}

// masterPid reads the first word of pid/master.pid.
func (c *ctl) masterPid() int {
	data, _ := os.ReadFile(filepath.Join(c.dirs["queue_directory"], "pid", "master.pid"))
	n, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0]))
	return n
}

func (c *ctl) command(args []string) int {
	cmd := ""
	if len(args) > 0 {
		cmd = args[0]
	}
	switch {
	case strings.HasPrefix(cmd, "/"):
		return c.runPath(args)
	case cmd == "logrotate":
		return c.logrotate(args)
	}
	switch cmd {
	case "start_msg":
		fmt.Println("Start postfix")
	case "stop_msg":
		fmt.Println("Stop postfix")
	case "start", "start-fg":
		return c.start(cmd)
	case "stop":
		return c.stop()
	case "quick-stop":
		rc := c.stop()
		os.WriteFile(filepath.Join(c.dirs["queue_directory"], "quick-start"), nil, 0o644)
		return rc
	case "abort", "drain":
		if !c.running() {
			return c.fatal("the Postfix mail system is not running")
		}
		sig := syscall.SIGTERM
		if cmd == "drain" {
			c.script.Infof("stopping the Postfix mail system")
			sig = syscall.SIGKILL
		} else {
			c.script.Infof("aborting the Postfix mail system")
		}
		syscall.Kill(c.masterPid(), sig)
	case "reload":
		if !c.running() {
			return c.fatal("the Postfix mail system is not running")
		}
		c.script.Infof("refreshing the Postfix mail system")
		if err := c.runCommand("postsuper", "active"); err != nil {
			return 1
		}
		syscall.Kill(c.masterPid(), syscall.SIGHUP)
		if p := c.commandPath("postsuper"); p != "" {
			exec.Command(p).Start()
		}
	case "flush":
		if err := c.runCommand("postqueue", "-f"); err != nil {
			return exitCode(err)
		}
	case "check":
		if rc := c.checkFatal(); rc != 0 {
			return rc
		}
		c.checkWarn()
	case "status":
		if !c.running() {
			c.script.Infof("the Postfix mail system is not running")
			return 1
		}
		c.script.Infof("the Postfix mail system is running: PID: %d", c.masterPid())
	case "set-permissions", "upgrade-configuration":
		return c.newPostInstall().run(append([]string{"create-missing"}, args...))
	case "tls":
		return c.tls(args[1:])
	case "post-install":
		return c.newPostInstall().run(args[1:])
	default:
		return c.fatal("unknown command: '%s'. Usage: postfix start (or stop, reload, abort, flush, check, status, set-permissions, upgrade-configuration, logrotate)", cmd)
	}
	return 0
}

func (c *ctl) start(cmd string) int {
	if c.running() {
		return c.fatal("the Postfix mail system is already running")
	}
	quick := filepath.Join(c.dirs["queue_directory"], "quick-start")
	if _, err := os.Stat(quick); err == nil {
		os.Remove(quick)
	} else {
		if c.checkFatal() != 0 {
			return c.fatal("Postfix integrity check failed!")
		}
		c.checkWarn()
	}
	c.script.Infof("starting the Postfix mail system")
	if cmd == "start" {
		m := exec.Command(c.daemon("master"), "-w")
		m.Stdin, m.Stdout, m.Stderr = os.Stdin, os.Stdout, os.Stderr
		if err := m.Run(); err != nil {
			return c.fatal("mail system startup failed")
		}
		return 0
	}
	if os.Getpid() == 1 {
		syscall.Exec(c.daemon("master"), []string{c.daemon("master"), "-i"}, os.Environ())
		return c.fatal("cannot start-fg the master daemon")
	}
	m := exec.Command(c.daemon("master"), "-s")
	m.Stdin, m.Stdout, m.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := m.Run(); err != nil {
		return exitCode(err)
	}
	return 0
}

func (c *ctl) stop() int {
	if !c.running() {
		return c.fatal("the Postfix mail system is not running")
	}
	c.script.Infof("stopping the Postfix mail system")
	pid := c.masterPid()
	syscall.Kill(pid, syscall.SIGTERM)
	for i := 0; i < 5; i++ {
		if !c.masterTest(true) {
			return 0
		}
		c.script.Infof("waiting for the Postfix mail system to terminate")
		time.Sleep(time.Second)
	}
	c.script.Warnf("stopping the Postfix mail system with force")
	if pid > 0 {
		syscall.Kill(-pid, syscall.SIGKILL)
	}
	return 0
}

// commandPath finds a command in command_directory.
func (c *ctl) commandPath(name string) string {
	p := filepath.Join(c.dirs["command_directory"], name)
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

func (c *ctl) runCommand(name string, args ...string) error {
	p := c.commandPath(name)
	if p == "" {
		c.fatal("cannot execute %s/%s!", c.dirs["command_directory"], name)
		return fmt.Errorf("no %s", name)
	}
	cmd := exec.Command(p, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return cmd.Run()
}

// exitCode is the status the shell reports for a finished command:
// its exit status, or 128 plus the signal that killed it.
func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	return 1
}

func isTerminal(fd int) bool {
	var t syscall.Termios
	_, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return e == 0
}

// multiInstance hands the command to multi_instance_wrapper (normally
// "postmulti -p --") when the primary instance manages others and no
// configuration directory was named.
func (c *ctl) multiInstance(operands []string) int {
	wrapper := strings.Fields(c.str("multi_instance_wrapper"))
	if len(wrapper) == 0 {
		c.log.Fatalf("multi-instance support is requested, but %s is empty", "multi_instance_wrapper")
	}
	argv := append(wrapper, operands...)
	path, err := exec.LookPath(argv[0])
	if err == nil {
		err = syscall.Exec(path, argv, os.Environ())
	}
	c.log.Fatalf("%s: %s", argv[0], dict.ErrnoText(err))
	return 1
}

package main

import (
	"fmt"
	"gopostfix/libglobal/util/dict"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/maillog"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// master is the supervisor's whole state, owned by the event loop.
type master struct {
	log        *msg.Logger
	logger     *maillog.Logger
	stderr     msg.Sink // until detached
	cfg        *mailconf.Config
	configDir  string
	queueDir   string
	foreground bool // -d: children get -d too
	initMode   bool

	services []*service
	children map[int]*proc
	removed  map[*service]bool

	generation   uint32
	flow         [2]int
	env          []string
	ownerUID     int
	ownerGID     int
	throttleTime time.Duration
	loop         *loop
	gotHUP       bool
	gotCHLD      bool
	statusBuf    [libmaster.StatusSize]byte // one status update at a time
}

func (m *master) str(name string) string {
	v, err := m.cfg.Str(name)
	if err != nil {
		m.log.Fatalf("%v", err)
	}
	return v
}

func (m *master) int(name string) int {
	v, err := m.cfg.Int(name)
	if err != nil {
		m.log.Fatalf("%v", err)
	}
	return v
}

// compatLevel returns the major compatibility level ("3.6" is 3).
func (m *master) compatLevel() int {
	v := m.str("compatibility_level")
	if i := strings.IndexByte(v, '.'); i >= 0 {
		v = v[:i]
	}
	n, _ := strconv.Atoi(v)
	return n
}

// varsInit reads main.cf and the parameters master needs
// (master_vars_init).
func (m *master) varsInit() {
	cfg, err := mailconf.Load("", m.log)
	if err != nil {
		m.log.Fatalf("%v", err)
	}
	m.cfg = cfg
	cfg.Override("process_name", "master")
	m.configDir = cfg.Dir()
	m.queueDir = m.str("queue_directory")
	owner := m.str("mail_owner")
	u, err := user.Lookup(owner)
	if err != nil {
		m.log.Fatalf("file %s/main.cf: parameter mail_owner: unknown user name value: %s", m.configDir, owner)
	}
	m.ownerUID, _ = strconv.Atoi(u.Uid)
	m.ownerGID, _ = strconv.Atoi(u.Gid)
	t, err := cfg.Time("service_throttle_time")
	if err != nil {
		m.log.Fatalf("%v", err)
	}
	m.throttleTime = t
	m.setupLogging()
}

func (m *master) setupLogging() {
	s := libmaster.LogSettings(m.str)
	s.Fallback = true
	var keep []msg.Sink
	if m.stderr != nil {
		keep = append(keep, m.stderr)
	}
	lg, err := maillog.Setup(m.log, "master", s, keep...)
	if err != nil {
		m.log.Fatalf("%v", err)
	}
	if m.logger != nil {
		m.logger.Close()
	}
	m.logger = lg
}

// cleanEnv keeps only import_environment (clean_env) and remembers the
// result for the children.
func (m *master) cleanEnv() {
	if err := mailconf.CleanEnv(m.str("import_environment")); err != nil {
		m.log.Fatalf("%v", err)
	}
	m.refreshEnv()
}

// refreshEnv picks up POSTLOG_* exports made by the logging setup.
func (m *master) refreshEnv() {
	var env []string
	for _, e := range os.Environ() {
		env = append(env, e)
	}
	m.env = env
}

// config reads master.cf and starts, updates or stops services
// (master_config and master_refresh).
func (m *master) config() {
	entries, err := m.readServices()
	if err != nil {
		m.log.Fatalf("%v", err)
	}
	for _, s := range m.services {
		s.mark = true
	}
	for _, e := range entries {
		var old *service
		for _, s := range m.services {
			if s.key == e.key && s.typ == e.typ {
				old = s
				break
			}
		}
		if old == nil {
			if err := m.startService(e); err != nil {
				m.log.Fatalf("%v", err)
			}
			m.services = append(m.services, e)
			continue
		}
		if !old.mark {
			m.log.Warnf("duplicate master.cf entry for service \"%s\" (%s) -- using the last entry",
				old.extName, old.key)
		}
		old.mark = false
		old.condWake, old.wakeup, old.maxProc = e.condWake, e.wakeup, e.maxProc
		old.extName, old.path, old.args, old.stress = e.extName, e.path, e.args, e.stress
		m.restartService(old)
	}
	var keep []*service
	for _, s := range m.services {
		if s.mark {
			m.removed[s] = true
			m.stopService(s)
			continue
		}
		keep = append(keep, s)
	}
	m.services = keep
}

// openLock creates and exclusively locks a lock file, writing the pid
// right-aligned in 32 columns.
func openLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %s", path, dict.ErrnoText(err))
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("open lock file %s: unable to set exclusive lock: %s", path, dict.ErrnoText(err))
	}
	return f, nil
}

func writePid(f *os.File, path string) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt([]byte(fmt.Sprintf("%*d\n", 32, os.Getpid())), 0); err != nil {
		return fmt.Errorf("cannot update lock file %s: %s", path, dict.ErrnoText(err))
	}
	return nil
}

// locks takes pid/master.pid and $data_directory/master.lock.
func (m *master) locks() []*os.File {
	pidPath := filepath.Join("pid", "master.pid")
	f1, err := openLock(pidPath)
	if err != nil {
		m.log.Fatalf("%v", err)
	}
	if err := writePid(f1, pidPath); err != nil {
		m.log.Fatalf("%v", err)
	}
	dataPath := filepath.Join(m.str("data_directory"), "master.lock")
	syscall.Setegid(m.ownerGID)
	syscall.Seteuid(m.ownerUID)
	f2, err := openLock(dataPath)
	syscall.Seteuid(0)
	syscall.Setegid(0)
	if err != nil {
		m.log.Fatalf("%v", err)
	}
	if err := writePid(f2, dataPath); err != nil {
		m.log.Fatalf("%v", err)
	}
	syscall.CloseOnExec(int(f1.Fd()))
	syscall.CloseOnExec(int(f2.Fd()))
	return []*os.File{f1, f2}
}

// sigdeath stops the whole process group and dies of the signal
// (master_sigdeath).
func (m *master) sigdeath(sig syscall.Signal) {
	pid := os.Getpid()
	// SIGTERM to the group reaches master too; it is still caught
	// (signal.Notify), so it only queues a wakeup that is never read.
	if pgid, _ := syscall.Getpgid(0); pgid == pid {
		syscall.Kill(-pid, syscall.SIGTERM)
	} else {
		for p := range m.children {
			syscall.Kill(p, syscall.SIGTERM)
		}
	}
	m.log.Infof("terminating on signal %d", int(sig))
	if m.initMode {
		os.Exit(0)
	}
	resetSignal(sig)
	syscall.Kill(pid, sig)
	time.Sleep(5 * time.Second) // killme_after(5)
	os.Exit(1)
}

func (m *master) onSignal(sig syscall.Signal) {
	switch sig {
	case syscall.SIGHUP:
		m.gotHUP = true
	case syscall.SIGCHLD:
		m.gotCHLD = true
	case syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT:
		m.sigdeath(sig)
	}
}

// watchdogTime bounds one round of the event loop (MASTER_WATCHDOG_TIME).
const watchdogTime = 1000 * time.Second

// reapInterval is the longest master goes without reaping children.
const reapInterval = time.Second

// run is master's main loop.
func (m *master) run() {
	dog := newRoundWatchdog(watchdogTime, func() { m.log.Fatalf("watchdog timeout") })
	lastReap := time.Now()
	for {
		dog.start()
		m.loop.run(500*time.Millisecond, m.onSignal)
		if m.gotHUP {
			m.log.Infof("reload -- version %s, configuration %s", m.str("mail_version"), m.configDir)
			m.gotHUP = false
			m.varsInit()
			m.refreshEnv()
			m.config()
		}
		// Children are reaped after SIGCHLD, as master_reap_child runs
		// only then; a wait4 after every round was one system call per
		// status update. Once a second they are reaped anyway, in case
		// a SIGCHLD was lost (signal.Notify drops what its channel
		// cannot take).
		if m.gotCHLD || time.Since(lastReap) >= reapInterval {
			if m.gotCHLD {
				m.log.Debugf("got sigchld")
			}
			m.gotCHLD = false
			lastReap = time.Now()
			m.reap()
		}
	}
}

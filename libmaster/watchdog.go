package libmaster

import (
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/msg"
)

// Watchdog kills a process that stops making progress (watchdog(3)):
// once started, it must be started again (or stopped) within its
// timeout, or the process dies with "fatal: watchdog timeout". Skeletons
// run one with daemon_timeout around every request; master runs one with
// 1000 seconds around every round of its event loop.
type Watchdog struct {
	mu      sync.Mutex
	timeout time.Duration
	log     *msg.Logger
	t       *time.Timer
}

// NewWatchdog returns a stopped watchdog.
func NewWatchdog(timeout time.Duration, log *msg.Logger) *Watchdog {
	return &Watchdog{timeout: timeout, log: log}
}

// Start (re)arms the watchdog for a full timeout.
func (w *Watchdog) Start() {
	if w == nil || w.timeout <= 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.t != nil {
		w.t.Stop()
	}
	w.t = time.AfterFunc(w.timeout, func() {
		w.log.Fatalf("watchdog timeout")
	})
}

// Stop disarms the watchdog, as while waiting for a client.
func (w *Watchdog) Stop() {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.t != nil {
		w.t.Stop()
		w.t = nil
	}
}

// DebugProcess runs $debugger_command (with $process_id and friends
// expanded) and waits for it, as "-D" asks (debug_process): a debugger
// attaching to this process. An empty command is fatal.
func DebugProcess(cfg *mailconf.Config, log *msg.Logger) {
	cfg.Override("process_id", strconv.Itoa(os.Getpid()))
	command, err := cfg.Str("debugger_command")
	if err != nil {
		log.Fatalf("%v", err)
	}
	if command == "" {
		log.Fatalf("no %s variable set up", "debugger_command")
	}
	log.Infof("running: %s", command)
	cmd := exec.Command("/bin/sh", "-c", command)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Run()
}

// Command master is the Postfix resident process manager (master(8)): it
// reads main.cf and master.cf, opens every service's sockets, starts
// daemons on demand with the descriptors, arguments and environment of
// the master <-> child contract, enforces process limits, sends wakeup
// triggers, throttles services whose daemons fail at start, reloads on
// SIGHUP while keeping the sockets of unchanged services, and stops the
// whole process group on SIGTERM.
//
// Options: -c config_dir, -d (stay in the foreground, children get -d),
// -D (run debugger_command once initialized), -e exit_time, -i (init mode, PID 1 only), -s (keep stdout),
// -t (test whether master is running: exit 0 if not), -v, -w (return
// only once the daemon is initialized, with its status).
//
// A watchdog ends master with "fatal: watchdog timeout" when one round of
// its event loop takes more than 1000 seconds. When all processes of a
// public (non-loopback inet) service are busy, master enters stress mode
// for that service for 1000 seconds: new processes get "-o stress=yes"
// and the running ones are told to finish so that they are replaced.
//
// Deliberate differences: the -w monitor re-executes master (a Go
// program cannot fork without exec) and waits on a pipe for the same
// one-byte "initialized" message; when systemd started master
// (NOTIFY_SOCKET), readiness is reported with sd_notify.
package main

import (
	"os"

	"gopostfix/libglobal/util/msg"
)

func main() {
	log := msg.New(msg.NewWriterSink("master", os.Stderr))
	os.Exit(Main(os.Args, log))
}

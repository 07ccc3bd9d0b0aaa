package main

import (
	"sync/atomic"
	"time"
)

// roundWatchdog ends master when one round of its event loop runs longer
// than its timeout (Postfix's master runs watchdog(3) around each round).
// Starting it costs one clock read and an atomic store: master starts it
// for every round, once per status update of any child, and a timer
// re-armed that often kept the Go runtime's timer and poller threads
// busy. One goroutine sleeps until the latest start plus the timeout and
// checks again; expire runs when no start came in the meantime.
type roundWatchdog struct {
	timeout time.Duration
	base    time.Time    // monotonic origin of last
	last    atomic.Int64 // time since base of the latest start
	expire  func()
}

// newRoundWatchdog returns a running watchdog, started now.
func newRoundWatchdog(timeout time.Duration, expire func()) *roundWatchdog {
	w := &roundWatchdog{timeout: timeout, base: time.Now(), expire: expire}
	go w.watch()
	return w
}

// start restarts the full timeout.
func (w *roundWatchdog) start() { w.last.Store(int64(time.Since(w.base))) }

func (w *roundWatchdog) watch() {
	for {
		left := time.Duration(w.last.Load()) + w.timeout - time.Since(w.base)
		if left <= 0 {
			w.expire()
			return
		}
		time.Sleep(left)
	}
}

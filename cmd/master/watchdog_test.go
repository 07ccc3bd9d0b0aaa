package main

import (
	"testing"
	"time"
)

// TestRoundWatchdog: the watchdog stays quiet while it is restarted
// within its timeout, and expires once, about a timeout after the last
// start, when the restarts stop.
func TestRoundWatchdog(t *testing.T) {
	const timeout = 100 * time.Millisecond
	fired := make(chan time.Time, 2)
	w := newRoundWatchdog(timeout, func() { fired <- time.Now() })
	for end := time.Now().Add(3 * timeout); time.Now().Before(end); {
		w.start()
		time.Sleep(timeout / 5)
	}
	select {
	case <-fired:
		t.Fatal("expired while restarted within its timeout")
	default:
	}
	w.start()
	last := time.Now()
	select {
	case at := <-fired:
		if d := at.Sub(last); d < timeout || d > 10*timeout {
			t.Fatalf("expired %v after the last start, want about %v", d, timeout)
		}
	case <-time.After(20 * timeout):
		t.Fatal("did not expire")
	}
	time.Sleep(2 * timeout)
	if len(fired) != 0 {
		t.Fatal("expired twice")
	}
}

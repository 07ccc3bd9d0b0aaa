package libmaster

import (
	"sync/atomic"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

func TestWatchdog(t *testing.T) {
	cases := []struct {
		name  string
		steps func(w *Watchdog)
		fires bool
	}{
		{"stuck", func(w *Watchdog) { w.Start() }, true},
		{"stopped", func(w *Watchdog) { w.Start(); w.Stop() }, false},
		{"patted", func(w *Watchdog) {
			for i := 0; i < 6; i++ {
				w.Start()
				time.Sleep(20 * time.Millisecond)
			}
			w.Stop()
		}, false},
		{"never started", func(w *Watchdog) {}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var code atomic.Int32
			cap := &msg.Capture{}
			log := msg.New(cap)
			log.Exit = func(n int) { code.Store(int32(n) + 100) }
			w := NewWatchdog(300*time.Millisecond, log) // patting every 20ms must not miss it on a loaded machine
			c.steps(w)
			time.Sleep(900 * time.Millisecond)
			fired := code.Load() == 101
			if fired != c.fires {
				t.Fatalf("fired %v, want %v (log %q)", fired, c.fires, cap.String())
			}
			if fired && cap.String() != "fatal: watchdog timeout\n" {
				t.Fatalf("log %q", cap.String())
			}
		})
	}
}

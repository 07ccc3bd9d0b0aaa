package main

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWakeupInitTriggersAtOnce: as master_wakeup_init, the first wakeup
// request of a unix service goes out when the timer starts, not one
// wakeup period later (qmgr must see files queued before start-up).
func TestWakeupInitTriggersAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name     string
		wakeup   int
		condWake bool
		want     bool
	}{
		{"periodic", 300, false, true},
		{"conditional, not yet used", 300, true, false},
		{"none", 0, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.Mkdir(filepath.Join(dir, "private"), 0700)
			ln, err := net.Listen("unix", filepath.Join(dir, "private", "qmgr"))
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			l, err := newLoop()
			if err != nil {
				t.Fatal(err)
			}
			m := &master{queueDir: dir, loop: l}
			s := &service{key: "private/qmgr", typ: "unix", wakeup: tc.wakeup, condWake: tc.condWake}
			m.wakeupInit(s)
			defer l.cancel(wakeKey{s})
			got := make(chan string, 1)
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				c.SetDeadline(time.Now().Add(2 * time.Second))
				buf := make([]byte, 2)
				n, _ := c.Read(buf)
				got <- string(buf[:n])
			}()
			limit := 300 * time.Millisecond
			if tc.want {
				limit = 2 * time.Second
			}
			select {
			case req := <-got:
				if !tc.want || req != "W\x00" {
					t.Errorf("wakeup request %q, want one: %v", req, tc.want)
				}
			case <-time.After(limit):
				if tc.want {
					t.Errorf("no wakeup request within %v", limit)
				}
			}
			if tc.wakeup > 0 && !tc.condWake && len(l.timers) != 1 {
				t.Errorf("%d timers pending, want the next wakeup", len(l.timers))
			}
		})
	}
}

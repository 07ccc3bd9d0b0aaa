package main

import (
	"syscall"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

func pipeFd(t *testing.T) int {
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil {
		t.Fatal(err)
	}
	syscall.Close(p[1])
	return p[0]
}

func TestCacheOrder(t *testing.T) {
	c := newCache(msg.New())
	a, b, other := pipeFd(t), pipeFd(t), pipeFd(t)
	c.saveEndp(time.Minute, "e1", "pa", a)
	c.saveEndp(time.Minute, "e1", "pb", b)
	c.saveEndp(time.Minute, "e2", "po", other)
	c.saveDest(time.Minute, "d", "dp-missing", "e9")
	c.saveDest(time.Minute, "d", "dp", "e1")
	c.saveDest(time.Minute, "d", "dp", "e1") // refreshed, not added
	if d, e, n := c.size(); d != 1 || e != 2 || n != 3 {
		t.Fatalf("size %d %d %d", d, e, n)
	}
	tests := []struct {
		fd        int
		dprop, ep string
	}{{a, "dp", "pa"}, {b, "dp", "pb"}, {-1, "", ""}}
	for i, tt := range tests {
		fd, dp, ep := c.findDest("d")
		if fd != tt.fd || dp != tt.dprop || ep != tt.ep {
			t.Errorf("find %d: %d %q %q, want %d %q %q", i, fd, dp, ep, tt.fd, tt.dprop, tt.ep)
		}
	}
	if fd, prop := c.findEndp("e2"); fd != other || prop != "po" {
		t.Errorf("find_endp: %d %q", fd, prop)
	}
	if d, e, n := c.size(); d != 1 || e != 0 || n != 0 {
		t.Errorf("size after: %d %d %d", d, e, n)
	}
}

func TestCacheExpiry(t *testing.T) {
	c := newCache(msg.New())
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(p[1])
	fd := p[0]
	c.saveEndp(50*time.Millisecond, "e", "p", fd)
	c.saveDest(50*time.Millisecond, "d", "dp", "e")
	time.Sleep(200 * time.Millisecond)
	if d, e, n := c.size(); d+e+n != 0 {
		t.Errorf("not expired: %d %d %d", d, e, n)
	}
	if _, err := syscall.Write(p[1], []byte("x")); err != syscall.EPIPE {
		t.Errorf("expired descriptor still open: write to its pipe: %v", err)
	}
}

func TestTTLLimit(t *testing.T) {
	sv := &server{ttlLim: 2 * time.Second}
	for _, tt := range []struct {
		secs int
		want time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {300, 2 * time.Second}} {
		if got := sv.ttl(tt.secs); got != tt.want {
			t.Errorf("ttl(%d) = %v", tt.secs, got)
		}
	}
}

package main

import (
	"syscall"
	"testing"
	"time"
)

// TestEventLoop checks that the loop reports a watched descriptor when it
// becomes readable, and that work posted by another goroutine wakes a
// sleeping loop without being reported as a descriptor.
func TestEventLoop(t *testing.T) {
	var l eventLoop
	if err := l.init(); err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(l.epfd)
	defer syscall.Close(l.wakefd)
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fds[0])
	defer syscall.Close(fds[1])
	if err := l.watch(fds[0]); err != nil {
		t.Fatal(err)
	}
	if got := l.poll(0); len(got) != 0 {
		t.Fatalf("idle loop reported %v", got)
	}
	syscall.Write(fds[1], []byte("x"))
	if got := l.poll(1000); len(got) != 1 || got[0] != fds[0] {
		t.Fatalf("readable descriptor: got %v, want [%d]", got, fds[0])
	}
	var buf [1]byte
	syscall.Read(fds[0], buf[:])

	// A post while the loop sleeps wakes it; the work is queued.
	if !l.sleep() {
		t.Fatal("sleep refused with nothing queued")
	}
	ran := false
	go func() {
		time.Sleep(20 * time.Millisecond)
		l.post(func() { ran = true })
	}()
	start := time.Now()
	got := l.poll(5000)
	l.awake()
	if len(got) != 0 || time.Since(start) > 4*time.Second {
		t.Fatalf("post did not wake the loop: %v after %v", got, time.Since(start))
	}
	fns := l.take()
	for _, fn := range fns {
		fn()
	}
	if len(fns) != 1 || !ran {
		t.Fatalf("posted work: %d functions, ran %v", len(fns), ran)
	}
	// The wake-up was consumed, and queued work forbids sleeping.
	if got := l.poll(0); len(got) != 0 {
		t.Fatalf("wake-up reported again: %v", got)
	}
	l.post(func() {})
	if l.sleep() {
		t.Fatal("sleep allowed with work queued")
	}
	// A closed descriptor leaves the set.
	l.unwatch(fds[0])
	syscall.Write(fds[1], []byte("y"))
	if got := l.poll(0); len(got) != 0 {
		t.Fatalf("unwatched descriptor reported: %v", got)
	}
}

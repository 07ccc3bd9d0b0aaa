package main

import (
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"
)

// timer is one pending timed event.
type timer struct {
	when time.Time
	fn   func()
	key  any // timers with the same key replace each other
}

// loop is master's single-threaded event loop over epoll: listen sockets,
// status sockets, and a pipe that carries signals.
type loop struct {
	ep       int
	handlers map[int]func()
	timers   []*timer
	sigR     int
	sigs     chan os.Signal
	// events and sigBuf are reused by every round, so that the loop
	// makes no garbage of its own.
	events []syscall.EpollEvent
	sigBuf []byte
}

func newLoop() (*loop, error) {
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		return nil, err
	}
	l := &loop{ep: ep, handlers: map[int]func(){}, sigR: p[0], sigs: make(chan os.Signal, 16),
		events: make([]syscall.EpollEvent, 64), sigBuf: make([]byte, 64)}
	signal.Notify(l.sigs, syscall.SIGHUP, syscall.SIGCHLD, syscall.SIGTERM, syscall.SIGINT,
		syscall.SIGQUIT, syscall.SIGXFSZ, syscall.SIGPIPE)
	go func() {
		for sig := range l.sigs {
			syscall.Write(p[1], []byte{byte(sig.(syscall.Signal))})
		}
	}()
	return l, nil
}

func (l *loop) enableRead(fd int, fn func()) {
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(fd)}
	if _, ok := l.handlers[fd]; ok {
		syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_MOD, fd, &ev)
	} else {
		syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_ADD, fd, &ev)
	}
	l.handlers[fd] = fn
}

func (l *loop) disable(fd int) {
	if _, ok := l.handlers[fd]; ok {
		syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_DEL, fd, nil)
		delete(l.handlers, fd)
	}
}

// after schedules fn; a timer with the same key is replaced.
func (l *loop) after(d time.Duration, key any, fn func()) {
	l.cancel(key)
	l.timers = append(l.timers, &timer{when: time.Now().Add(d), fn: fn, key: key})
	sort.Slice(l.timers, func(i, j int) bool { return l.timers[i].when.Before(l.timers[j].when) })
}

func (l *loop) cancel(key any) {
	if key == nil {
		return
	}
	for i, t := range l.timers {
		if t.key == key {
			l.timers = append(l.timers[:i], l.timers[i+1:]...)
			return
		}
	}
}

// run waits for one round of events and runs their handlers; onSignal
// gets each signal received.
func (l *loop) run(max time.Duration, onSignal func(syscall.Signal)) {
	timeout := max
	if len(l.timers) > 0 {
		if d := time.Until(l.timers[0].when); d < timeout {
			timeout = d
		}
	}
	if timeout < 0 {
		timeout = 0
	}
	events := l.events
	l.enableSignals()
	n, err := syscall.EpollWait(l.ep, events, int(timeout/time.Millisecond)+1)
	if err != nil && err != syscall.EINTR {
		n = 0
	}
	for i := 0; i < n; i++ {
		fd := int(events[i].Fd)
		if fd == l.sigR {
			buf := l.sigBuf
			k, _ := syscall.Read(l.sigR, buf)
			for _, b := range buf[:max0(k)] {
				onSignal(syscall.Signal(b))
			}
			continue
		}
		if fn, ok := l.handlers[fd]; ok {
			fn()
		}
	}
	now := time.Now()
	for len(l.timers) > 0 && !l.timers[0].when.After(now) {
		t := l.timers[0]
		l.timers = l.timers[1:]
		t.fn()
	}
}

func (l *loop) enableSignals() {
	if _, ok := l.handlers[l.sigR]; !ok {
		l.enableRead(l.sigR, func() {})
	}
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

package main

import (
	"fmt"
	"os"
	"sync"
	"syscall"
	"unsafe"
)

// eventLoop is the manager goroutine's event loop, shaped like Postfix's
// events.c: one epoll instance watches the delivery agent sockets, and an
// eventfd in it lets other goroutines (the trigger service, timers,
// conversations with the bounce services) wake the manager when they
// hand it work. The manager sleeps in epoll_wait itself: an agent's reply
// wakes the thread that handles it, with no goroutine per connection and
// none of the thread hand-offs of the Go poller that those cost.
//
// Only post is safe for use by other goroutines. The zero value queues
// posted work; init adds the descriptors.
type eventLoop struct {
	epfd, wakefd int
	evs          [64]syscall.EpollEvent
	ready        []int

	mu     sync.Mutex
	queue  []func()
	spare  []func()
	asleep bool // the manager waits in epoll_wait and must be woken
}

// init makes the epoll instance and the wake-up eventfd.
func (l *eventLoop) init() error {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return fmt.Errorf("epoll_create: %w", os.NewSyscallError("epoll_create1", err))
	}
	fd, _, errno := syscall.Syscall(syscall.SYS_EVENTFD2, 0, syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if errno != 0 {
		syscall.Close(epfd)
		return fmt.Errorf("eventfd: %w", os.NewSyscallError("eventfd2", errno))
	}
	l.epfd, l.wakefd = epfd, int(fd)
	if err := l.watch(l.wakefd); err != nil {
		return err
	}
	return nil
}

// post queues fn for the manager goroutine, waking it when it sleeps.
func (l *eventLoop) post(fn func()) {
	l.mu.Lock()
	l.queue = append(l.queue, fn)
	wake := l.asleep
	l.asleep = false
	l.mu.Unlock()
	if wake {
		one := uint64(1)
		for {
			_, _, errno := syscall.Syscall(syscall.SYS_WRITE, uintptr(l.wakefd), uintptr(unsafe.Pointer(&one)), 8)
			if errno != syscall.EINTR {
				break
			}
		}
	}
}

// take returns the queued work and empties the queue.
func (l *eventLoop) take() []func() {
	l.mu.Lock()
	fns := l.queue
	l.queue = l.spare[:0]
	l.spare = fns
	l.mu.Unlock()
	return fns
}

// sleep reports whether nothing is queued; if so, posts from now on wake
// the manager until awake is called.
func (l *eventLoop) sleep() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.queue) > 0 {
		return false
	}
	l.asleep = true
	return true
}

// awake ends a sleep.
func (l *eventLoop) awake() {
	l.mu.Lock()
	l.asleep = false
	l.mu.Unlock()
}

// watch adds fd, to be reported when readable (level-triggered).
func (l *eventLoop) watch(fd int) error {
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(fd)}
	if err := syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_ADD, fd, &ev); err != nil {
		return os.NewSyscallError("epoll_ctl", err)
	}
	return nil
}

// unwatch removes fd (closing it does the same).
func (l *eventLoop) unwatch(fd int) {
	syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_DEL, fd, nil)
}

// poll waits up to ms milliseconds (-1: no limit, 0: just look) for
// watched descriptors to become readable and returns them; a wake-up by
// post is consumed and not reported.
func (l *eventLoop) poll(ms int) []int {
	l.ready = l.ready[:0]
	n, err := syscall.EpollWait(l.epfd, l.evs[:], ms)
	if err != nil {
		return l.ready // EINTR: the caller looks again
	}
	for _, ev := range l.evs[:n] {
		fd := int(ev.Fd)
		if fd == l.wakefd {
			var buf [8]byte
			syscall.Read(l.wakefd, buf[:])
			continue
		}
		l.ready = append(l.ready, fd)
	}
	return l.ready
}

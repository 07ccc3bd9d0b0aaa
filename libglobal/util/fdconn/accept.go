package fdconn

import (
	"os"
	"syscall"
	"time"
)

// Accept waits for a connection on the listening socket lfd, which may be
// shared with other processes and be in non-blocking mode: it sleeps in
// poll(2) until lfd is readable, then accepts; a connection that another
// process took first (EAGAIN) means waiting again. A positive timeout
// bounds the wait (the error is then os.ErrDeadlineExceeded). The new
// connection is in blocking mode and close-on-exec.
func Accept(lfd int, timeout time.Duration) (*Conn, error) {
	var end time.Time
	if timeout > 0 {
		end = time.Now().Add(timeout)
	}
	for {
		wait := -1
		if !end.IsZero() {
			left := time.Until(end)
			if left <= 0 {
				return nil, os.ErrDeadlineExceeded
			}
			wait = int((left + time.Millisecond - 1) / time.Millisecond)
		}
		if err := pollIn(lfd, wait); err != nil {
			return nil, err
		}
		fd, sa, err := syscall.Accept4(lfd, syscall.SOCK_CLOEXEC)
		switch err {
		case nil:
			raddr, network := sockAddr(sa)
			return &Conn{fd: fd, network: network, laddr: localAddr(fd), raddr: raddr}, nil
		case syscall.EAGAIN, syscall.EINTR, syscall.ECONNABORTED:
			continue
		}
		return nil, os.NewSyscallError("accept", err)
	}
}

// WaitReadable sleeps until fd is readable or at its end, the way
// Postfix's event loop watches master's status socket. Unlike a read
// blocked on a socket, poll(2) wakes only for input: a blocked reader of
// the status socket, which every process of a service shares, would wake
// each time master drains a status update of any of them.
func WaitReadable(fd int) error { return pollIn(fd, -1) }

// pollIn waits until fd is readable or ms milliseconds pass (-1: no
// limit).
func pollIn(fd, ms int) error {
	pfd := []pollFd{{fd: int32(fd), events: pollInEvent}}
	for {
		n, err := poll(pfd, ms)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return os.NewSyscallError("poll", err)
		case n == 0:
			return os.ErrDeadlineExceeded
		}
		return nil
	}
}

// pollUntil waits until fd is ready for events (pollInEvent,
// pollOutEvent) or at its end; after the deadline dl (zero: none) it
// returns os.ErrDeadlineExceeded.
func pollUntil(fd int, events int16, dl time.Time) error {
	pfd := []pollFd{{fd: int32(fd), events: events}}
	for {
		ms := -1
		if !dl.IsZero() {
			left := time.Until(dl)
			if left <= 0 {
				return os.ErrDeadlineExceeded
			}
			ms = int((left + time.Millisecond - 1) / time.Millisecond)
		}
		n, err := poll(pfd, ms)
		switch {
		case err == syscall.EINTR || err == nil && n == 0:
			continue // the deadline is checked above
		case err != nil:
			return os.NewSyscallError("poll", err)
		}
		return nil
	}
}

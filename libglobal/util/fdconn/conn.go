package fdconn

import (
	"io"
	"net"
	"os"
	"syscall"
	"time"
	"unsafe"
)

// Conn is a connected socket in blocking mode. It is not safe for
// concurrent use by several goroutines.
type Conn struct {
	fd           int
	network      string // "tcp" or "unix", in errors
	laddr, raddr net.Addr
	rdl, wdl     time.Time     // deadlines set by the caller
	rto, wto     time.Duration // timeouts in force in the kernel
	// nowait: the descriptor is in non-blocking mode (DialUnixNoWait);
	// a call that would block waits in poll(2) until the deadline.
	nowait bool
}

// New takes ownership of fd, a connected socket, and puts it in blocking
// mode. network ("tcp", "unix") names it in errors.
func New(fd int, network string, laddr, raddr net.Addr) (*Conn, error) {
	if err := syscall.SetNonblock(fd, false); err != nil {
		return nil, os.NewSyscallError("fcntl", err)
	}
	return &Conn{fd: fd, network: network, laddr: laddr, raddr: raddr}, nil
}

// Fd returns the descriptor.
func (c *Conn) Fd() int { return c.fd }

func (c *Conn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: c.network, Source: c.laddr, Addr: c.raddr, Err: err}
}

// Read reads once from the socket. It returns io.EOF at the end of
// input, and an error matching os.ErrDeadlineExceeded (a net.Error with
// Timeout) after the read deadline.
func (c *Conn) Read(p []byte) (int, error) {
	if c.fd < 0 {
		return 0, c.opError("read", net.ErrClosed)
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		flags, err := c.arm(syscall.SO_RCVTIMEO, c.rdl, &c.rto)
		if err != nil {
			return 0, c.opError("read", err)
		}
		n, _, errno := syscall.Syscall6(syscall.SYS_RECVFROM, uintptr(c.fd), uintptr(unsafe.Pointer(&p[0])),
			uintptr(len(p)), uintptr(flags), 0, 0)
		switch {
		case errno == 0 && n == 0:
			return 0, io.EOF
		case errno == 0:
			return int(n), nil
		case errno == syscall.EINTR:
			continue
		case errno == syscall.EAGAIN && c.nowait:
			if err := pollUntil(c.fd, pollInEvent, c.rdl); err != nil {
				return 0, c.opError("read", err)
			}
			continue
		case errno == syscall.EAGAIN && !c.rdl.IsZero():
			if !time.Now().Before(c.rdl) {
				return 0, c.opError("read", os.ErrDeadlineExceeded)
			}
			continue // the kernel's timeout ran out before the deadline
		}
		return 0, c.opError("read", os.NewSyscallError("read", errno))
	}
}

// Write writes all of p, in as many system calls as the socket needs. A
// connection the peer closed is an error (EPIPE), never a signal.
func (c *Conn) Write(p []byte) (int, error) {
	if c.fd < 0 {
		return 0, c.opError("write", net.ErrClosed)
	}
	done := 0
	for done < len(p) {
		flags, err := c.arm(syscall.SO_SNDTIMEO, c.wdl, &c.wto)
		if err != nil {
			return done, c.opError("write", err)
		}
		n, _, errno := syscall.Syscall6(syscall.SYS_SENDTO, uintptr(c.fd), uintptr(unsafe.Pointer(&p[done])),
			uintptr(len(p)-done), uintptr(flags|syscall.MSG_NOSIGNAL), 0, 0)
		switch {
		case errno == 0:
			done += int(n)
			continue
		case errno == syscall.EINTR:
			continue
		case errno == syscall.EAGAIN && c.nowait:
			if err := pollUntil(c.fd, pollOutEvent, c.wdl); err != nil {
				return done, c.opError("write", err)
			}
			continue
		case errno == syscall.EAGAIN && !c.wdl.IsZero():
			if !time.Now().Before(c.wdl) {
				return done, c.opError("write", os.ErrDeadlineExceeded)
			}
			continue
		}
		return done, c.opError("write", os.NewSyscallError("write", errno))
	}
	return done, nil
}

// arm makes the kernel timeout *set (socket option opt) fit the deadline
// dl and returns the flags of the next call: MSG_DONTWAIT once the
// deadline has passed, so that a deadline of "now" polls. The option is
// rewritten only when the time left differs from the one in force by
// more than 1/64, so that the usual "now + timeout" before every call
// costs no system call; a deadline is then overshot by at most 1/64 of
// the timeout.
func (c *Conn) arm(opt int, dl time.Time, set *time.Duration) (int, error) {
	if c.nowait {
		return 0, nil // calls never wait in the kernel
	}
	var want time.Duration // zero: no limit
	if !dl.IsZero() {
		want = time.Until(dl)
		if want <= 0 {
			return syscall.MSG_DONTWAIT, nil
		}
		// Close enough either way: a timeout a little short makes the
		// call return EAGAIN early, and the callers' loops arm the
		// time left. A fresh "now + timeout" deadline is a hair longer
		// than the last one set, so demanding at least the time left
		// would rewrite the option on every other call.
		if d := *set - want; *set > 0 && d <= want/64 && -d <= want/64 {
			return 0, nil
		}
	} else if *set == 0 {
		return 0, nil
	}
	tv := syscall.NsecToTimeval(int64(want))
	if want > 0 && tv.Sec == 0 && tv.Usec == 0 {
		tv.Usec = 1 // zero would mean no limit
	}
	if err := syscall.SetsockoptTimeval(c.fd, syscall.SOL_SOCKET, opt, &tv); err != nil {
		return 0, os.NewSyscallError("setsockopt", err)
	}
	*set = want
	return 0, nil
}

// Close closes the descriptor.
func (c *Conn) Close() error {
	if c.fd < 0 {
		return c.opError("close", net.ErrClosed)
	}
	fd := c.fd
	c.fd = -1
	if err := syscall.Close(fd); err != nil {
		return c.opError("close", os.NewSyscallError("close", err))
	}
	return nil
}

// CloseWrite shuts down the sending side.
func (c *Conn) CloseWrite() error {
	if err := syscall.Shutdown(c.fd, syscall.SHUT_WR); err != nil {
		return c.opError("shutdown", os.NewSyscallError("shutdown", err))
	}
	return nil
}

// LocalAddr and RemoteAddr are *net.TCPAddr or *net.UnixAddr, as with the
// net package's connections.
func (c *Conn) LocalAddr() net.Addr  { return c.laddr }
func (c *Conn) RemoteAddr() net.Addr { return c.raddr }

// SetDeadline sets both deadlines; the zero time means none.
func (c *Conn) SetDeadline(t time.Time) error {
	c.rdl, c.wdl = t, t
	return nil
}

func (c *Conn) SetReadDeadline(t time.Time) error  { c.rdl = t; return nil }
func (c *Conn) SetWriteDeadline(t time.Time) error { c.wdl = t; return nil }

// SyscallConn gives access to the descriptor (syscall.Conn), for ioctl
// and socket options.
func (c *Conn) SyscallConn() (syscall.RawConn, error) { return rawConn{c}, nil }

type rawConn struct{ c *Conn }

func (r rawConn) Control(f func(fd uintptr)) error {
	f(uintptr(r.c.fd))
	return nil
}

// Read and Write call f until it reports done; the descriptor blocks, so
// once in the usual case.
func (r rawConn) Read(f func(fd uintptr) bool) error {
	for !f(uintptr(r.c.fd)) {
	}
	return nil
}

func (r rawConn) Write(f func(fd uintptr) bool) error {
	for !f(uintptr(r.c.fd)) {
	}
	return nil
}

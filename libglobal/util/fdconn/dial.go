package fdconn

import (
	"net"
	"os"
	"syscall"
	"time"
)

// DialUnix connects to the UNIX-domain stream socket at path. A positive
// timeout bounds the connect, as Postfix's unix_connect with a timeout.
func DialUnix(path string, timeout time.Duration) (*Conn, error) {
	raddr := &net.UnixAddr{Name: path, Net: "unix"}
	fail := func(err error) error { return &net.OpError{Op: "dial", Net: "unix", Addr: raddr, Err: err} }
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fail(os.NewSyscallError("socket", err))
	}
	c := &Conn{fd: fd, network: "unix", laddr: &net.UnixAddr{Net: "unix"}, raddr: raddr}
	if timeout > 0 {
		// A full listen queue makes connect wait up to the send timeout.
		if _, err := c.arm(syscall.SO_SNDTIMEO, time.Now().Add(timeout), &c.wto); err != nil {
			syscall.Close(fd)
			return nil, fail(err)
		}
	}
	if err := connect(fd, path); err != nil {
		syscall.Close(fd)
		if err == syscall.EAGAIN {
			return nil, fail(os.ErrDeadlineExceeded)
		}
		return nil, fail(os.NewSyscallError("connect", err))
	}
	return c, nil
}

// DialUnixNoWait connects to the UNIX-domain stream socket at path
// without waiting for room in the server's listen queue: when the
// server is that far behind, the connect fails at once with EAGAIN, as
// Postfix's non-blocking mail_connect does (qmgr and its delivery
// agents). The descriptor stays in non-blocking mode, for an event loop
// that watches it with epoll; a Read or Write that would block waits in
// poll(2) until the deadline instead of in the system call.
func DialUnixNoWait(path string) (*Conn, error) {
	raddr := &net.UnixAddr{Name: path, Net: "unix"}
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: "unix", Addr: raddr, Err: os.NewSyscallError("socket", err)}
	}
	if err := connect(fd, path); err != nil {
		syscall.Close(fd)
		return nil, &net.OpError{Op: "dial", Net: "unix", Addr: raddr, Err: os.NewSyscallError("connect", err)}
	}
	return &Conn{fd: fd, network: "unix", laddr: &net.UnixAddr{Net: "unix"}, raddr: raddr, nowait: true}, nil
}

// connect connects fd to the UNIX-domain socket at path, restarting
// after signals.
func connect(fd int, path string) error {
	for {
		err := syscall.Connect(fd, &syscall.SockaddrUnix{Name: path})
		if err != syscall.EINTR {
			return err
		}
	}
}

// DialUnixgram connects a UNIX-domain datagram socket to path (the
// postlog service): each Write sends one datagram with a blocking
// system call, outside the Go poller, whose write-space wake-ups would
// otherwise follow every datagram.
func DialUnixgram(path string) (*Conn, error) {
	raddr := &net.UnixAddr{Name: path, Net: "unixgram"}
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: "unixgram", Addr: raddr, Err: os.NewSyscallError("socket", err)}
	}
	if err := connect(fd, path); err != nil {
		syscall.Close(fd)
		return nil, &net.OpError{Op: "dial", Net: "unixgram", Addr: raddr, Err: os.NewSyscallError("connect", err)}
	}
	return &Conn{fd: fd, network: "unixgram", laddr: &net.UnixAddr{Net: "unixgram"}, raddr: raddr}, nil
}

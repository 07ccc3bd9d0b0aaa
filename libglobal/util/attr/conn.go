package attr

import (
	"bufio"
	"fmt"
	"net"
	"path/filepath"
	"syscall"
	"time"

	"gopostfix/libglobal/util/fdpass"
)

// Protocol attribute name and the announcements of the 3.7 services
// (mail_proto.h). Note verify's misspelling, which is on the wire.
const (
	AttrProtocol = "protocol"

	ProtoAnvil     = "anvil_protocol"
	ProtoBounce    = "delivery_status_protocol"
	ProtoCleanup   = "cleanup_protocol"
	ProtoDelivery  = "delivery_request_protocol"
	ProtoFlush     = "queue_flush_protocol"
	ProtoProxymap  = "proxymap_protocol"
	ProtoRewrite   = "trivial_rewrite_protocol"
	ProtoScache    = "connection_cache_protocol"
	ProtoShowq     = "mail_queue_list_protocol"
	ProtoTLSMgr    = "tlsmgr_protocol"
	ProtoTLSProxy  = "tlsproxy_protocol"
	ProtoVerify    = "address_verification_prrotocol"
	ProtoPostdrop  = "postdrop_protocol"
	AttrDummy      = "dummy"
	DefaultTimeout = 3600 * time.Second // ipc_timeout
)

// Conn is one attribute-protocol stream: a net.Conn, a Reader and a
// Writer sharing it, and a timeout applied to every read and write.
type Conn struct {
	c       net.Conn
	Timeout time.Duration // zero: no timeout
	polling bool          // the next read must not block (readable test)
	R       *Reader
	W       *Writer
}

// deadlineIO applies the Conn's timeout to each read and write call, as
// Postfix's timed reads and writes do.
type deadlineIO struct{ c *Conn }

func (d deadlineIO) Read(p []byte) (int, error) {
	if d.c.polling {
		d.c.c.SetReadDeadline(time.Now())
	} else if d.c.Timeout > 0 {
		d.c.c.SetReadDeadline(time.Now().Add(d.c.Timeout))
	}
	return d.c.c.Read(p)
}

func (d deadlineIO) Write(p []byte) (int, error) {
	if d.c.Timeout > 0 {
		d.c.c.SetWriteDeadline(time.Now().Add(d.c.Timeout))
	}
	return d.c.c.Write(p)
}

// NewConn wraps c. name is the stream name in error texts.
func NewConn(c net.Conn, f Format, name string, timeout time.Duration) *Conn {
	a := &Conn{c: c, Timeout: timeout}
	a.R = NewReader(deadlineIO{a}, f, name)
	a.W = NewWriter(deadlineIO{a}, f)
	return a
}

// Reset makes a a stream over c, named name, keeping its format and the
// buffers of R and W (whatever they still hold is dropped): a program
// that makes one short connection after another (qmgr to its delivery
// agents) then allocates no new buffers for each.
func (a *Conn) Reset(c net.Conn, name string, timeout time.Duration) {
	a.c, a.Timeout, a.polling = c, timeout, false
	a.R.br.Reset(deadlineIO{a})
	a.R.name = name
	a.W.bw.Reset(deadlineIO{a})
}

// Dial connects to the UNIX-domain stream socket at path. The stream is
// named after path in error texts.
func Dial(path string, f Format, timeout time.Duration) (*Conn, error) {
	d := net.Dialer{Timeout: timeout}
	c, err := d.Dial("unix", path)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", path, err)
	}
	return NewConn(c, f, path, timeout), nil
}

// DialService connects to queueDir/class/service ("private", "rewrite"),
// named "class/service" in messages as Postfix's mail_connect names it.
func DialService(queueDir, class, service string, f Format, timeout time.Duration) (*Conn, error) {
	c, err := Dial(filepath.Join(queueDir, class, service), f, timeout)
	if err != nil {
		return nil, err
	}
	c.R.name = class + "/" + service
	return c, nil
}

// Readable reports whether the peer sent data or closed the connection,
// without blocking (Postfix's readable(3)).
func (c *Conn) Readable() bool {
	if c.R.Buffered() > 0 {
		return true
	}
	if ready, ok := peekReady(c.c); ok {
		return ready
	}
	// Not a socket: a read with a deadline of now (Go's poller gives up
	// on such a read without trying it, so this says "not readable").
	c.polling = true
	_, err := c.R.br.Peek(1)
	c.polling = false
	c.c.SetReadDeadline(time.Time{})
	return err == nil || !isTimeout(err)
}

// peekReady asks the socket under c whether a read would return at once
// (data, end of file or an error) with a non-blocking MSG_PEEK receive;
// ok is false when c is not a socket.
func peekReady(c net.Conn) (ready, ok bool) {
	sc, isSys := c.(syscall.Conn)
	if !isSys {
		return false, false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false, false
	}
	var perr error
	cerr := rc.Control(func(fd uintptr) {
		var b [1]byte
		for {
			_, _, perr = syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
			if perr != syscall.EINTR {
				return
			}
		}
	})
	if cerr != nil || perr == syscall.ENOTSOCK {
		return false, false
	}
	return perr != syscall.EAGAIN, true
}

// BufReader returns the buffered reader under R, for protocols that
// continue with raw bytes after an attribute record (cleanup's queue-file
// record stream). Data already buffered by R is not lost.
func (c *Conn) BufReader() *bufio.Reader { return c.R.br }

// BufWriter returns the buffered writer under W.
func (c *Conn) BufWriter() *bufio.Writer { return c.W.bw }

// Wait blocks until the peer sends a byte or closes the stream; it
// returns io.EOF on a clean close. Multi-client servers use it to learn
// that a request is coming before they report themselves busy.
func (c *Conn) Wait() error {
	_, err := c.R.br.Peek(1)
	return err
}

// NetConn returns the underlying connection.
func (c *Conn) NetConn() net.Conn { return c.c }

// Close closes the connection.
func (c *Conn) Close() error { return c.c.Close() }

// Print sends one record.
func (c *Conn) Print(attrs ...Attr) error { return c.W.Print(attrs...) }

// Scan reads one record; see Reader.Scan.
func (c *Conn) Scan(flags Flags, targets ...Recv) (int, error) {
	return c.R.Scan(flags, targets...)
}

// Announce is the server greeting: one record "protocol=proto" followed
// by extra attributes (cleanup adds queue_id).
func (c *Conn) Announce(proto string, extra ...Attr) error {
	return c.Print(append([]Attr{Str(AttrProtocol, proto)}, extra...)...)
}

// ReadAnnouncement checks the server greeting strictly and fills extra.
func (c *Conn) ReadAnnouncement(proto string, extra ...Recv) error {
	n, err := c.Scan(Strict, append([]Recv{Expect(AttrProtocol, proto)}, extra...)...)
	if err != nil {
		return err
	}
	if n != len(extra) {
		return &Error{Class: ErrMissing, Text: fmt.Sprintf("missing attribute in input from %s", c.R.name)}
	}
	return nil
}

// WriteDummy sends the "dummy" record that tells a descriptor sender to go
// ahead (or that a received descriptor arrived).
func (c *Conn) WriteDummy() error { return c.Print(Str(AttrDummy, "")) }

// ReadDummy waits for the peer's "dummy" record.
func (c *Conn) ReadDummy() error {
	var s string
	_, err := c.Scan(Strict, RecvStr(AttrDummy, &s))
	return err
}

// SendFd passes fd: it waits for the receiver's dummy record, then sends
// the descriptor. The caller then reads the receiver's next record (its
// reply, or a dummy via ReadDummy).
func (c *Conn) SendFd(fd int) error {
	if err := c.ReadDummy(); err != nil {
		return err
	}
	return c.sendRaw(fd)
}

// RecvFd receives a descriptor: it sends a dummy record, then receives.
// The caller then sends its next record (a reply, or WriteDummy).
func (c *Conn) RecvFd() (int, error) {
	if err := c.WriteDummy(); err != nil {
		return -1, err
	}
	return c.recvRaw()
}

func (c *Conn) unix() (*net.UnixConn, error) {
	u, ok := c.c.(*net.UnixConn)
	if !ok {
		return nil, fmt.Errorf("descriptor passing on %s: not a UNIX-domain socket", c.R.name)
	}
	if c.Timeout > 0 {
		u.SetDeadline(time.Now().Add(c.Timeout))
	}
	return u, nil
}

func (c *Conn) sendRaw(fd int) error {
	if err := c.W.Flush(); err != nil {
		return err
	}
	u, err := c.unix()
	if err != nil {
		return err
	}
	return fdpass.Send(u, fd)
}

func (c *Conn) recvRaw() (int, error) {
	if c.R.Buffered() != 0 {
		return -1, &Error{Class: ErrMalformed, Err: errBadFdRecvd,
			Text: fmt.Sprintf("unexpected data from %s before file descriptor", c.R.name)}
	}
	if sc, ok := c.c.(syscall.Conn); ok {
		if _, isUnix := c.c.(*net.UnixConn); !isUnix {
			// A blocking connection (package fdconn) of a daemon.
			return fdpass.RecvSyscall(sc)
		}
	}
	u, err := c.unix()
	if err != nil {
		return -1, err
	}
	return fdpass.Recv(u)
}

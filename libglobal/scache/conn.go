package scache

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"syscall"
	"time"

	"gopostfix/libglobal/util/attr"
)

// connectError is a failed connect to the service.
type connectError struct{ err error }

func (e *connectError) Error() string { return "connect: " + e.err.Error() }
func (e *connectError) Unwrap() error { return e.err }

// errNoAnnouncement is a connection on which the server did not
// announce the protocol (auto_clnt's failed handshake).
var errNoAnnouncement = errors.New("no protocol announcement")

// access returns the connection to the service, made on demand and
// checked for the server's announcement (auto_clnt_access). Unlike a
// Postfix client stream, a connection that is already there is used
// as it is: auto_clnt looks at it only from its event loop, that is
// between two deliveries (see Idle).
func (c *Client) access() (*attr.Conn, error) {
	if c.conn != nil {
		return c.conn, nil
	}
	dir := c.QueueDir
	if dir == "" {
		dir = "."
	}
	d := net.Dialer{Timeout: c.Timeout}
	nc, err := d.Dial("unix", filepath.Join(dir, "private", c.Service))
	if err != nil {
		return nil, &connectError{err}
	}
	conn := attr.NewConn(nc, attr.Format0, c.name(), c.Timeout)
	if err := conn.ReadAnnouncement(attr.ProtoScache); err != nil {
		conn.Close()
		return nil, fmt.Errorf("%w: %w", errNoAnnouncement, err)
	}
	c.conn, c.born = conn, time.Now()
	return conn, nil
}

// drop closes the connection (auto_clnt_recover).
func (c *Client) drop() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// Idle does what auto_clnt's event handlers do while the process waits
// for work: it closes the connection when the server hung up (or sent
// something unasked), after MaxIdle without requests, or MaxTTL after
// it was made. The SMTP client calls it when a delivery request
// arrives.
func (c *Client) Idle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return
	}
	now := time.Now()
	if readable(c.conn) || (c.MaxIdle > 0 && now.Sub(c.used) >= c.MaxIdle) ||
		(c.MaxTTL > 0 && now.Sub(c.born) >= c.MaxTTL) {
		c.drop()
	}
}

// readable reports, without blocking, whether the peer sent data or
// closed the connection (readable(3)).
func readable(conn *attr.Conn) bool {
	if conn.R.Buffered() > 0 {
		return true
	}
	sc, ok := conn.NetConn().(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	ready := false
	buf := make([]byte, 1)
	rc.Control(func(fd uintptr) {
		_, _, err := syscall.Recvfrom(int(fd), buf, syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		ready = err != syscall.EAGAIN
	})
	return ready
}

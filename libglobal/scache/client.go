// Package scache is the client of the connection cache service
// scache(8) on private/scache, Postfix's src/global/scache_clnt.c: the
// SMTP and LMTP clients save open connections under an endpoint label
// (server address, port, TLS and SASL state) and optionally a
// destination label (nexthop), and look them up again for later
// deliveries. Descriptors travel with the attribute protocol's
// descriptor passing (dummy records around one SCM_RIGHTS message).
//
// Requests: save_endp (ttl, label, property, then the descriptor),
// find_endp (label -> status, property, descriptor), save_dest (ttl,
// label, property, endpoint label), find_dest (label -> status,
// destination property, endpoint property, descriptor). A found
// connection leaves the cache.
//
// Deliberate difference: after two failed attempts the client gives up
// on the service for the life of the process, as Postfix does, but
// without its one-second pause between the attempts.
package scache

import (
	"errors"
	"fmt"
	"os"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

// maxTries is SCACHE_MAX_TRIES.
const maxTries = 2

// Client talks to one scache service; it keeps the connection open
// between requests and reconnects after errors.
type Client struct {
	QueueDir string // "" or "." when the process runs in the queue directory
	Service  string // connection_cache_service_name
	Timeout  time.Duration
	Log      *msg.Logger

	conn     *attr.Conn
	disabled bool
}

// New makes a client for private/service.
func New(service string, timeout time.Duration, log *msg.Logger) *Client {
	return &Client{QueueDir: ".", Service: service, Timeout: timeout, Log: log}
}

// ErrNotFound says the cache has no connection under the label.
var ErrNotFound = errors.New("not found")

func (c *Client) access() (*attr.Conn, error) {
	if c.conn != nil {
		return c.conn, nil
	}
	conn, err := attr.DialService(c.QueueDir, "private", c.Service, attr.Format0, c.Timeout)
	if err != nil {
		return nil, err
	}
	if err := conn.ReadAnnouncement(attr.ProtoScache); err != nil {
		conn.Close()
		return nil, err
	}
	c.conn = conn
	return conn, nil
}

// try runs one exchange with the retry and give-up rules of
// scache_clnt.c.
func (c *Client) try(fn func(conn *attr.Conn) error) error {
	for tries := 0; !c.disabled; tries++ {
		conn, err := c.access()
		if err == nil {
			if err = fn(conn); err == nil || errors.Is(err, ErrNotFound) {
				return err
			}
			c.conn.Close()
			c.conn = nil
		}
		c.Log.Warnf("problem talking to service private/%s: %v", c.Service, err)
		if tries >= maxTries-1 {
			c.Log.Warnf("disabling connection caching")
			c.disabled = true
		}
	}
	return fmt.Errorf("connection caching disabled")
}

// SaveEndp stores a connection under an endpoint label; the descriptor
// is closed here in any case.
func (c *Client) SaveEndp(ttl time.Duration, label, prop string, f *os.File) error {
	defer f.Close()
	return c.try(func(conn *attr.Conn) error {
		if err := conn.Print(attr.Str("request", "save_endp"), attr.Int("ttl", int(ttl.Seconds())),
			attr.Str("label", label), attr.Str("property", prop)); err != nil {
			return err
		}
		if err := conn.SendFd(int(f.Fd())); err != nil {
			return err
		}
		var status int
		if _, err := conn.Scan(attr.Strict, attr.RecvInt("status", &status)); err != nil {
			return err
		}
		return nil
	})
}

// SaveDest links a destination label to an endpoint label.
func (c *Client) SaveDest(ttl time.Duration, label, prop, endpLabel string) error {
	return c.try(func(conn *attr.Conn) error {
		if err := conn.Print(attr.Str("request", "save_dest"), attr.Int("ttl", int(ttl.Seconds())),
			attr.Str("label", label), attr.Str("property", prop), attr.Str("label", endpLabel)); err != nil {
			return err
		}
		var status int
		_, err := conn.Scan(attr.Strict, attr.RecvInt("status", &status))
		return err
	})
}

// FindEndp takes a connection saved under an endpoint label.
func (c *Client) FindEndp(label string) (prop string, f *os.File, err error) {
	err = c.try(func(conn *attr.Conn) error {
		if err := conn.Print(attr.Str("request", "find_endp"), attr.Str("label", label)); err != nil {
			return err
		}
		var status int
		if _, err := conn.Scan(attr.Strict, attr.RecvInt("status", &status), attr.RecvStr("property", &prop)); err != nil {
			return err
		}
		if status != 0 {
			return ErrNotFound
		}
		f, err = c.receive(conn)
		return err
	})
	return prop, f, err
}

// FindDest takes a connection saved for a destination label.
func (c *Client) FindDest(label string) (destProp, endpProp string, f *os.File, err error) {
	err = c.try(func(conn *attr.Conn) error {
		if err := conn.Print(attr.Str("request", "find_dest"), attr.Str("label", label)); err != nil {
			return err
		}
		var status int
		if _, err := conn.Scan(attr.Strict, attr.RecvInt("status", &status), attr.RecvStr("property", &destProp),
			attr.RecvStr("property", &endpProp)); err != nil {
			return err
		}
		if status != 0 {
			return ErrNotFound
		}
		f, err = c.receive(conn)
		return err
	})
	return destProp, endpProp, f, err
}

// receive takes the descriptor and sends the closing dummy record
// (MUST_READ_AFTER_SENDING_FD).
func (c *Client) receive(conn *attr.Conn) (*os.File, error) {
	fd, err := conn.RecvFd()
	if err != nil {
		return nil, err
	}
	conn.WriteDummy()
	return os.NewFile(uintptr(fd), "scache connection"), nil
}

package rewrite

import (
	"fmt"
	"path/filepath"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/fdconn"
	"gopostfix/libglobal/util/msg"
)

// Protocol is the server's announcement.
const Protocol = "trivial_rewrite_protocol"

// Rewriting contexts (MAIL_ATTR_RWR_*).
const (
	ContextLocal  = "local"
	ContextRemote = "remote"
)

// Request names.
const (
	ReqRewrite = "rewrite"
	ReqResolve = "resolve"
	ReqVerify  = "verify"
)

// Resolver result flags (resolve_clnt.h RESOLVE_FLAG_* and
// RESOLVE_CLASS_*).
const (
	FlagFinal  = 1 << 0
	FlagRouted = 1 << 1
	FlagError  = 1 << 2 // bad address syntax: bounce
	FlagFail   = 1 << 3 // lookup failed: try again later

	ClassLocal   = 1 << 8
	ClassAlias   = 1 << 9
	ClassVirtual = 1 << 10
	ClassRelay   = 1 << 11
	ClassDefault = 1 << 12

	ClassFinal = ClassLocal | ClassAlias | ClassVirtual
	ClassMask  = ClassLocal | ClassAlias | ClassVirtual | ClassRelay | ClassDefault
)

// Reply is one resolver answer.
type Reply struct {
	Transport string
	Nexthop   string
	Recipient string
	Flags     int
}

// Client talks to the rewrite service over one persistent connection
// (reconnecting on demand, as Postfix's clnt_stream).
type Client struct {
	cl    *attr.Client
	cache *cache // rewrite answers; nil: none kept
}

// NewClient returns a client of queueDir/private/service ("rewrite" is
// the usual service name, rewrite_service_name in main.cf).
func NewClient(queueDir, service string, log *msg.Logger) *Client {
	path := filepath.Join(queueDir, "private", service)
	return &Client{cl: attr.NewClient(path, "private/"+service, Protocol, attr.Format0, log)}
}

// Blocking makes the client's connections with blocking system calls
// outside the Go poller (package fdconn), for servers that handle one
// client at a time with blocking I/O.
func (c *Client) Blocking() {
	c.cl.Dialer = func(path string, f attr.Format, timeout time.Duration) (*attr.Conn, error) {
		conn, err := fdconn.DialUnix(path, timeout)
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", path, err)
		}
		return attr.NewConn(conn, f, path, timeout), nil
	}
}

// CacheRewrites keeps up to n rewrite answers for ttl each (Postfix's
// rewrite_clnt keeps the last one for 30 seconds; cleanup asks for the
// envelope sender and recipient and then again for the same addresses in
// the From: and To: headers, so a few entries save those round trips).
func (c *Client) CacheRewrites(n int, ttl time.Duration) {
	c.cache = newCache(n, ttl, time.Now)
}

// SetTimeout sets the time limit of each read and write (ipc_timeout by
// default; qmgr uses qmgr_ipc_timeout), for connections made after it.
func (c *Client) SetTimeout(d time.Duration) { c.cl.Timeout = d }

// Close drops the connection.
func (c *Client) Close() { c.cl.Close() }

// Rewrite rewrites an external-form address in a context
// (rewrite_clnt).
func (c *Client) Rewrite(context, addr string) (string, error) {
	if out, ok := c.cache.get(context, addr); ok {
		return out, nil
	}
	var srvFlags int
	var out string
	n, err := c.cl.Request([]attr.Attr{
		attr.Str("request", ReqRewrite),
		attr.Str("rule", context),
		attr.Str("address", addr),
	}, attr.Strict, attr.RecvInt("flags", &srvFlags), attr.RecvStr("address", &out))
	if err != nil {
		return "", fmt.Errorf("rewrite %s: %w", addr, err)
	}
	if n != 2 {
		return "", fmt.Errorf("rewrite %s: malformed reply", addr)
	}
	c.serverFlags(srvFlags)
	c.cache.put(context, addr, out)
	return out, nil
}

// serverFlags acts on the server's flags: non-zero asks the client to
// reconnect for the next request (clnt_stream_recover).
func (c *Client) serverFlags(flags int) {
	if flags != 0 {
		c.cl.Close()
	}
}

// Resolve resolves an internal-form recipient for sender
// (resolve_clnt_query_from); Verify uses the address verification
// transports instead.
func (c *Client) Resolve(sender, addr string) (Reply, error) {
	return c.query(ReqResolve, sender, addr)
}

// Verify is Resolve for address verification probes.
func (c *Client) Verify(sender, addr string) (Reply, error) {
	return c.query(ReqVerify, sender, addr)
}

func (c *Client) query(req, sender, addr string) (Reply, error) {
	var r Reply
	var srvFlags int
	n, err := c.cl.Request([]attr.Attr{
		attr.Str("request", req),
		attr.Str("sender", sender),
		attr.Str("address", addr),
	}, attr.Strict,
		attr.RecvInt("flags", &srvFlags),
		attr.RecvStr("transport", &r.Transport),
		attr.RecvStr("nexthop", &r.Nexthop),
		attr.RecvStr("recipient", &r.Recipient),
		attr.RecvInt("flags", &r.Flags))
	if err != nil {
		return Reply{}, fmt.Errorf("%s %s: %w", req, addr, err)
	}
	if n != 5 {
		return Reply{}, fmt.Errorf("%s %s: malformed reply", req, addr)
	}
	c.serverFlags(srvFlags)
	return r, nil
}

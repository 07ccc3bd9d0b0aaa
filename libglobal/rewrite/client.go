package rewrite

import (
	"fmt"
	"path/filepath"
	"time"

	"gopostfix/libglobal/util/attr"
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
	cl *attr.Client
}

// NewClient returns a client of queueDir/private/service ("rewrite" is
// the usual service name, rewrite_service_name in main.cf).
func NewClient(queueDir, service string, log *msg.Logger) *Client {
	path := filepath.Join(queueDir, "private", service)
	return &Client{cl: attr.NewClient(path, "private/"+service, Protocol, attr.Format0, log)}
}

// SetTimeout sets the time limit of each read and write (ipc_timeout by
// default; qmgr uses qmgr_ipc_timeout), for connections made after it.
func (c *Client) SetTimeout(d time.Duration) { c.cl.Timeout = d }

// Close drops the connection.
func (c *Client) Close() { c.cl.Close() }

// Rewrite rewrites an external-form address in a context
// (rewrite_clnt).
func (c *Client) Rewrite(context, addr string) (string, error) {
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
	return out, nil
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
	return r, nil
}

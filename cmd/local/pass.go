package main

import (
	"fmt"
	"strings"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/util/attr"
)

// pass hands the recipient to another delivery agent, as
// mailbox_transport and fallback_transport say (deliver_pass): the
// other agent reports the recipient itself.
func (d *delivery) pass(m msgAttr, transport string) int {
	service, nexthop := transport, d.req.Nexthop
	if i := strings.IndexByte(transport, ':'); i >= 0 {
		service = transport[:i]
		if transport[i+1:] != "" {
			nexthop = transport[i+1:]
		}
	}
	c, err := attr.DialService(".", "private", service, attr.Format0, d.a.s.IPCTimeout)
	fail := func(format string, args ...any) int {
		d.a.s.Log.Warnf(format, args...)
		m.why = dsn.Simple("4.3.0", "mail transport unavailable")
		return d.deferRcpt(m)
	}
	if err != nil {
		return fail("connect to private/%s: %v", service, err)
	}
	defer c.Close()
	if err := deliver.ReadInitial(c); err != nil {
		return fail("%s: malformed response", service)
	}
	req := *d.req
	req.Nexthop = nexthop
	req.Rcpts = []recipient{m.rcpt}
	if err := deliver.WriteRequest(c, &req); err != nil {
		return fail("%s: %v", service, err)
	}
	hop, status, err := deliver.ReadReply(c)
	if err != nil {
		return fail("%s: %v", service, err)
	}
	_ = hop
	if status != 0 {
		return deliverDefer
	}
	return 0
}

var _ = fmt.Sprint

package main

import (
	"strings"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
)

// Connecting to the other agent is tried connectTries times,
// connectPause apart, before local gives up with a fatal error
// (mail_connect_wait).
const (
	connectTries = 11
	connectPause = 10 * time.Second
)

// pass hands the recipient to another delivery agent, as the transport
// tables and mailbox_transport and fallback_transport say
// (deliver_pass): the other agent reports the recipient itself, and
// its status is the result.
func (d *delivery) pass(m msgAttr, transport string) int {
	service, nexthop, _ := strings.Cut(transport, ":")
	if nexthop == "" {
		nexthop = d.req.Nexthop
	}
	if service == "" {
		d.a.s.Log.Fatalf("missing transport name in \"%s\"", transport)
	}
	d.a.status.Log.Passed(d.req.QueueID, m.rcpt.Address, service)
	c := d.connectWait(service)
	defer c.Close()
	path := "private/" + service
	m.relay = "none"
	req := *d.req
	req.Nexthop = nexthop
	req.Rcpts = []recipient{m.rcpt}
	if err := deliver.ReadInitial(c); err != nil {
		d.a.s.Log.Warnf("%s: malformed response", path)
		m.why = dsn.Simple("4.3.0", "mail transport unavailable")
		return d.deferRcpt(m)
	}
	if err := deliver.WriteRequest(c, &req); err != nil {
		d.a.s.Log.Warnf("%s: bad write: %s", path, dict.ErrnoText(err))
		m.why = dsn.Simple("4.3.0", "mail transport unavailable")
		return d.deferRcpt(m)
	}
	_, status, err := deliver.ReadReply(c)
	if err != nil {
		d.a.s.Log.Warnf("%s: malformed response", path)
		m.why = dsn.Simple("4.3.0", "unknown mail transport error")
		return d.deferRcpt(m)
	}
	if status != 0 {
		return deliverDefer
	}
	return 0
}

// connectWait connects to private/service, warning and pausing after
// each failure, and ends the process after the last try.
func (d *delivery) connectWait(service string) *attr.Conn {
	for count := 1; ; count++ {
		c, err := attr.DialService(".", "private", service, attr.Format0, d.a.s.IPCTimeout)
		if err == nil {
			return c
		}
		why := dict.ErrnoText(err)
		if count >= connectTries {
			d.a.s.Log.Fatalf("connect #%d to subsystem private/%s: %s", count, service, why)
		}
		d.a.s.Log.Warnf("connect #%d to subsystem private/%s: %s", count, service, why)
		time.Sleep(connectPause)
	}
}

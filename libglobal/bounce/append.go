package bounce

import (
	"strings"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/flush"
	"gopostfix/libglobal/util/attr"
)

// appendAttrs is the APPEND request: nrequest, flags, queue_id, the
// recipient and the DSN.
func appendAttrs(flags int, id string, r deliver.Recipient, d dsn.DSN) []attr.Attr {
	a := []attr.Attr{attr.Int(attrNReq, CmdAppend), attr.Int(attrFlags, flags), attr.Str(attrQueueID, id)}
	a = append(a, r.Attrs()...)
	return append(a, d.Attrs()...)
}

// checkClass replaces a status code of the wrong class or form, with
// the caller's warning (the sanity checks of bounce_append, defer_append
// and sent).
func (c *Client) checkClass(fn string, d *dsn.DSN, class byte, def string) {
	if d.Status == "" || d.Status[0] != class || dsn.Valid(d.Status) == 0 {
		c.Msg.Warnf("%s: ignoring dsn code \"%s\"", fn, d.Status)
		d.Status = def
	}
}

// BounceAppend reports a recipient as undeliverable (bounce_append): the
// bounce logfile gets it (or, with soft_bounce, the defer logfile), and
// it is logged status=bounced. It returns 0 when the recipient may be
// marked done.
func (c *Client) BounceAppend(flags int, id string, st deliver.Stats, r deliver.Recipient, relay string, d dsn.DSN) int {
	c.checkClass("bounce_append", &d, '5', "5.0.0")
	if res := c.filter(d); res != nil {
		if res.Status[0] == '4' {
			return c.deferAppend(flags, id, st, r, relay, *res)
		}
		d = *res
	}
	return c.bounceAppend(flags, id, st, r, relay, d)
}

// bounceAppend is bounce_append_intern.
func (c *Client) bounceAppend(flags int, id string, st deliver.Stats, r deliver.Recipient, relay string, d dsn.DSN) int {
	if res, ok := c.probe(flags, id, st, r, relay, d, "undeliverable", rcptStatBounce); ok {
		return res
	}
	if c.SoftBounce && flags&FlagClean != 0 {
		return -1
	}
	service, logStatus := c.BounceService, "bounced"
	if c.SoftBounce {
		service, logStatus = c.DeferService, "SOFTBOUNCE"
		d.Status = "4" + d.Status[1:]
		d.Action = "delayed"
	} else {
		d.Action = "failed"
	}
	if c.call("private", service, attr.ProtoBounce, appendAttrs(flags, id, r, d)) == 0 &&
		(flags&deliver.FlagRecord == 0 || c.TraceAppend(flags, id, st, r, relay, d) == 0) {
		c.Log.Delivery(id, st, r, relay, d, logStatus)
		if c.SoftBounce {
			return -1
		}
		return 0
	}
	return c.bounceFailed(flags, id, st, r, relay, d)
}

// bounceFailed defers a recipient whose bounce could not be recorded,
// unless the caller cleans up on failure (FlagClean).
func (c *Client) bounceFailed(flags int, id string, st deliver.Stats, r deliver.Recipient, relay string, d dsn.DSN) int {
	if flags&FlagClean != 0 {
		return -1
	}
	d.Status = "4.3.0"
	d.Reason = c.BounceService + " or " + c.TraceService + " service failure"
	return c.deferAppend(flags, id, st, r, relay, d)
}

// probe answers an address verification request instead of reporting a
// delivery (the first step of bounce_append, defer_append, sent and
// bounce_one): the result goes to the verify service for a probe
// (FlagMTAVrfy) or to the trace logfile for sendmail -bv (FlagUserVrfy),
// with action as the DSN action. ok is false for other requests.
func (c *Client) probe(flags int, id string, st deliver.Stats, r deliver.Recipient, relay string, d dsn.DSN, action string, vrfy int) (res int, ok bool) {
	switch {
	case flags&deliver.FlagMTAVrfy != 0:
		d.Action = action
		return c.verifyAppend(id, st, r, relay, d, vrfy), true
	case flags&deliver.FlagUserVrfy != 0:
		d.Action = action
		return c.TraceAppend(flags, id, st, r, relay, d), true
	}
	return 0, false
}

// DeferAppend reports a recipient as delayed (defer_append): the defer
// logfile gets it, it is logged status=deferred and the fast flush
// service learns the queue ID. It returns -1: the recipient stays.
func (c *Client) DeferAppend(flags int, id string, st deliver.Stats, r deliver.Recipient, relay string, d dsn.DSN) int {
	c.checkClass("defer_append", &d, '4', "4.0.0")
	if res := c.filter(d); res != nil {
		if res.Status[0] == '5' {
			return c.bounceAppend(flags, id, st, r, relay, *res)
		}
		d = *res
	}
	return c.deferAppend(flags, id, st, r, relay, d)
}

// deferAppend is defer_append_intern.
func (c *Client) deferAppend(flags int, id string, st deliver.Stats, r deliver.Recipient, relay string, d dsn.DSN) int {
	if res, ok := c.probe(flags, id, st, r, relay, d, "undeliverable", rcptStatDefer); ok {
		return res
	}
	d.Action = "delayed"
	if c.call("private", c.DeferService, attr.ProtoBounce, appendAttrs(flags, id, r, d)) != 0 {
		c.Msg.Warnf("%s: %s service failure", id, c.DeferService)
	}
	c.Log.Delivery(id, st, r, relay, d, "deferred")
	if flags&deliver.FlagRecord != 0 && c.TraceAppend(flags, id, st, r, relay, d) != 0 {
		c.Msg.Warnf("%s: %s service failure", id, c.TraceService)
	}
	if at := strings.LastIndexByte(r.Address, '@'); at >= 0 && at+1 < len(r.Address) && c.Flush != nil {
		switch c.Flush.Add(r.Address[at+1:], id) {
		case flush.StatOK, flush.StatDeny:
		default:
			c.Msg.Warnf("%s: %s service failure", id, c.FlushService)
		}
	}
	return -1
}

// TraceAppend adds a record to the message's trace logfile
// (trace_append), for sendmail -v/-bv and DSN SUCCESS reports; the reason
// is prefixed with "delivery via RELAY: ".
func (c *Client) TraceAppend(flags int, id string, st deliver.Stats, r deliver.Recipient, relay string, d dsn.DSN) int {
	my := d
	if relay != NoRelay {
		my.Reason = "delivery via " + relay + ": " + d.Reason
	}
	if c.call("private", c.TraceService, attr.ProtoBounce, appendAttrs(flags, id, r, my)) != 0 {
		c.Msg.Warnf("%s: %s service failure", id, c.TraceService)
		return -1
	}
	if flags&deliver.FlagUserVrfy != 0 {
		c.Log.Delivery(id, st, r, relay, d, my.Action)
	}
	return 0
}

// Sent reports a successful delivery (sent): logged status=sent, with
// trace records for sendmail -v, delayed-delivery and NOTIFY=SUCCESS
// reports. It returns 0 when the recipient may be marked done.
func (c *Client) Sent(flags int, id string, st deliver.Stats, r deliver.Recipient, relay string, d dsn.DSN) int {
	c.checkClass("sent", &d, '2', "2.0.0")
	if res := c.filter(d); res != nil {
		d = *res
	}
	if res, ok := c.probe(flags, id, st, r, relay, d, "deliverable", rcptStatOK); ok {
		return res
	}
	if d.Action == "" {
		d.Action = "delivered"
	}
	recAll := flags&deliver.FlagRecord != 0
	recDly := flags&deliver.FlagRecDlySent != 0 && (r.DSNNotify == 0 || r.DSNNotify&deliver.NotifyDelay != 0)
	if ((!recAll && !recDly) || c.TraceAppend(flags, id, st, r, relay, d) == 0) &&
		(r.DSNNotify&deliver.NotifySuccess == 0 || c.TraceAppend(flags, id, st, r, relay, d) == 0) {
		c.Log.Delivery(id, st, r, relay, d, "sent")
		return 0
	}
	d.Reason = id + ": " + c.TraceService + " service failed"
	d.Status = "4.3.0"
	return c.DeferAppend(flags, id, st, r, relay, d)
}

// BounceOne sends a non-delivery notice for one recipient right away
// (bounce_one), as cleanup does for mail it rejects.
func (c *Client) BounceOne(flags int, m Message, st deliver.Stats, r deliver.Recipient, relay string, d dsn.DSN) int {
	c.checkClass("bounce_one", &d, '5', "5.0.0")
	if res := c.filter(d); res != nil {
		if res.Status[0] == '4' {
			return c.deferAppend(flags, m.ID, st, r, relay, *res)
		}
		d = *res
	}
	if res, ok := c.probe(flags, m.ID, st, r, relay, d, "undeliverable", rcptStatBounce); ok {
		return res
	}
	if c.SoftBounce {
		return c.bounceAppend(flags, m.ID, st, r, relay, d)
	}
	d.Action = "failed"
	send := append(m.attrs(CmdOne, flags), r.Attrs()...)
	send = append(send, d.Attrs()...)
	if c.call("private", c.BounceService, attr.ProtoBounce, send) == 0 &&
		(flags&deliver.FlagRecord == 0 || c.TraceAppend(flags, m.ID, st, r, relay, d) == 0) {
		c.Log.Delivery(m.ID, st, r, relay, d, "bounced")
		return 0
	}
	return c.bounceFailed(flags, m.ID, st, r, relay, d)
}

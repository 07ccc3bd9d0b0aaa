package bounce

import (
	"gopostfix/libglobal/util/attr"
)

// Message identifies a queue file and the envelope facts a notice needs.
type Message struct {
	Queue    string // queue name ("active")
	ID       string // queue ID
	Encoding string // "", "7bit", "8bit"
	SMTPUTF8 int
	Sender   string
	EnvID    string // DSN ENVID
	Ret      int    // DSN RET
}

// attrs is the common part of FLUSH, WARN, VERP, ONE and TRACE.
func (m Message) attrs(cmd, flags int) []attr.Attr {
	return []attr.Attr{
		attr.Int(attrNReq, cmd), attr.Int(attrFlags, flags),
		attr.Str(attrQueue, m.Queue), attr.Str(attrQueueID, m.ID),
		attr.Str(attrEncoding, m.Encoding), attr.Int(attrSMTPUTF8, m.SMTPUTF8),
		attr.Str(attrSender, m.Sender), attr.Str(attrEnvID, m.EnvID),
		attr.Int(attrRet, m.Ret),
	}
}

// BounceFlush asks the bounce service to send the non-delivery notice
// for the bounce logfile of m (bounce_flush). 0 means done.
func (c *Client) BounceFlush(flags int, m Message) int {
	return c.bounceFlush(flags, m.attrs(CmdFlush, flags), m.ID)
}

// BounceFlushVerp is BounceFlush with one notice per recipient, VERP
// style (bounce_flush_verp).
func (c *Client) BounceFlushVerp(flags int, m Message, verpDelims string) int {
	return c.bounceFlush(flags, append(m.attrs(CmdVerp, flags), attr.Str(attrVerpDelim, verpDelims)), m.ID)
}

func (c *Client) bounceFlush(flags int, send []attr.Attr, id string) int {
	if c.SoftBounce {
		return -1
	}
	if c.call("private", c.BounceService, attr.ProtoBounce, send) == 0 {
		return 0
	}
	if flags&FlagClean == 0 {
		c.Msg.Infof("%s: status=deferred (bounce failed)", id)
	}
	return -1
}

// DeferFlush asks the defer service to return the deferred recipients
// as undeliverable (defer_flush, at expiry); the recipients are deleted
// from the queue file.
func (c *Client) DeferFlush(flags int, m Message) int {
	flags |= FlagDelRcpt
	return c.status(c.call("private", c.DeferService, attr.ProtoBounce, m.attrs(CmdFlush, flags)))
}

// DeferFlushVerp is DeferFlush, VERP style.
func (c *Client) DeferFlushVerp(flags int, m Message, verpDelims string) int {
	flags |= FlagDelRcpt
	send := append(m.attrs(CmdVerp, flags), attr.Str(attrVerpDelim, verpDelims))
	return c.status(c.call("private", c.DeferService, attr.ProtoBounce, send))
}

// DeferWarn asks the defer service for a delay warning (defer_warn).
func (c *Client) DeferWarn(flags int, m Message) int {
	return c.status(c.call("private", c.DeferService, attr.ProtoBounce, m.attrs(CmdWarn, flags)))
}

// TraceFlush asks the trace service to send the delivery status report
// (the request qmgr sends through atrace_flush).
func (c *Client) TraceFlush(flags int, m Message) int {
	return c.status(c.call("private", c.TraceService, attr.ProtoBounce, m.attrs(CmdTrace, flags)))
}

// status maps a service reply to 0 or -1.
func (c *Client) status(s int) int {
	if s == 0 {
		return 0
	}
	return -1
}

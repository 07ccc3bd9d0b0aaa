package main

import (
	"fmt"
	"net"
	"os"
	"strings"

	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/delivered"
	"gopostfix/libglobal/dsn"
)

// userAttr is whose rights a file or command delivery uses (USER_ATTR).
type userAttr struct {
	uid, gid      int
	home, logname string
	shell         string
	known         bool // set from a passwd entry
}

// msgAttr is the delivery state passed down by value through alias,
// include and .forward expansion (DELIVER_ATTR).
type msgAttr struct {
	level     int
	req       *request
	fp        *os.File
	sender    string
	envID     string
	ret       int
	rcpt      recipient
	domain    string
	local     string // case-folded local part, extension included
	user      string // local part without extension
	extension string
	unmatched string
	owner     string
	delivered string
	relay     string
	expType   int
	expFrom   string
	why       dsn.DSN
}

// delivery is one recipient's expansion tree: its duplicate filter, the
// forwarded-message collector and the Delivered-To: headers.
type delivery struct {
	a    *agent
	req  *request
	qf   *os.File
	dup  *dupFilter
	fwd  *forwarder
	loop *delivered.Set
}

// serve handles one qmgr connection.
func (a *agent) serve(c net.Conn) {
	err := deliver.Serve(c, a.layout, a.s.Log, a.s.IPCTimeout, func(ag *deliver.Agent, req *request) (int, error) {
		return a.deliverRequest(ag, req), nil
	})
	if err != nil {
		a.s.Log.Fatalf("%v", err)
	}
}

// deliverRequest delivers every recipient of a request (local_deliver).
func (a *agent) deliverRequest(ag *deliver.Agent, req *request) int {
	d := &delivery{a: a, req: req, qf: ag.File}
	d.loop = a.deliveredHeaders(ag.File, req.DataOffset)
	msgStat := 0
	for _, r := range req.Rcpts {
		d.dup = newDupFilter(a.cfg.dupLimit)
		d.fwd = newForwarder(d)
		m := msgAttr{req: req, fp: ag.File, sender: req.Sender, envID: req.EnvID, ret: req.Ret,
			rcpt: r, relay: a.s.Name}
		st := d.recipient(m, userAttr{})
		st |= d.fwd.finish(m, st)
		if st == 0 && req.Flags&deliver.FlagSuccess != 0 {
			if err := deliver.Completed(ag.File, r.Offset); err != nil {
				a.s.Log.Fatalf("%v", err)
			}
		}
		msgStat |= st
	}
	return msgStat
}

// Status reports; each returns 0 when the recipient is dealt with.
func (d *delivery) flags() int { return deliver.TraceFlags(d.req.Flags) }

func (d *delivery) sent(m msgAttr) int {
	return d.a.status.Sent(d.flags(), d.req.QueueID, d.req.Stats, m.rcpt, m.relay, m.why)
}

func (d *delivery) bounce(m msgAttr) int {
	return d.a.status.BounceAppend(d.flags(), d.req.QueueID, d.req.Stats, m.rcpt, m.relay, m.why)
}

func (d *delivery) deferRcpt(m msgAttr) int {
	return d.a.status.DeferAppend(d.flags(), d.req.QueueID, d.req.Stats, m.rcpt, m.relay, m.why)
}

func (d *delivery) trace(m msgAttr) int {
	return d.a.status.TraceAppend(bounce.FlagNone, d.req.QueueID, d.req.Stats, m.rcpt, m.relay, m.why)
}

// bounceOrDefer reports by the class of the status in m.why.
func (d *delivery) bounceOrDefer(m msgAttr) int {
	if strings.HasPrefix(m.why.Status, "4") {
		return d.deferRcpt(m)
	}
	return d.bounce(m)
}

// simple sets a plain status and reason.
func (m *msgAttr) simple(status, format string, args ...any) {
	m.why = dsn.Simple(status, fmt.Sprintf(format, args...))
}

// traceOnly reports a request that only asks what would happen
// (DEL_REQ_TRACE_ONLY).
func (d *delivery) traceOnly() bool { return d.req.Flags&deliver.TraceOnlyMask != 0 }

package main

import (
	"fmt"
	"net"
	"os"
	"strings"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/util/dict"
)

// delivery is the state of one recipient (LOCAL_STATE with its
// DELIVER_ATTR).
type delivery struct {
	a         *agent
	req       *deliver.Request
	qf        *os.File
	rcpt      deliver.Recipient
	delivered string // Delivered-To: address
	user      string // the case-folded recipient, the lookup key
	relay     string // the service name
	why       dsn.DSN
}

// serve handles one qmgr connection; a table that changed on disk ends
// the process once the request is answered, so that master starts a
// fresh one (pre_accept).
func (a *agent) serve(c net.Conn) {
	err := deliver.Serve(c, a.layout, a.s.Log, a.s.IPCTimeout, func(ag *deliver.Agent, req *deliver.Request) (int, error) {
		return a.deliverRequest(ag, req), nil
	})
	if err != nil {
		a.s.Log.Fatalf("%v", err)
	}
	if name := a.reg.Changed(); name != "" {
		a.s.Log.Infof("table %s has changed -- restarting", name)
		os.Exit(0)
	}
}

// deliverRequest delivers every recipient and marks the finished ones
// done (local_deliver).
func (a *agent) deliverRequest(ag *deliver.Agent, req *deliver.Request) int {
	msgStat := 0
	for _, r := range req.Rcpts {
		d := &delivery{a: a, req: req, qf: ag.File, rcpt: r, relay: a.s.Name}
		st := d.recipient()
		if st == 0 && req.Flags&deliver.FlagSuccess != 0 {
			if err := deliver.Completed(ag.File, r.Offset); err != nil {
				a.s.Log.Fatalf("%v", err)
			}
		}
		msgStat |= st
	}
	return msgStat
}

// recipient delivers to the mailbox of the full, case-folded address,
// or bounces an unknown one (deliver_recipient, deliver_unknown).
func (d *delivery) recipient() int {
	if d.delivered == "" {
		d.delivered = d.rcpt.Address
	}
	d.user, _ = dict.CaseFold(d.rcpt.Address, d.a.cfg.utf8)
	if st, ok := d.mailbox(); ok {
		return st
	}
	d.simple("5.1.1", "unknown user: \"%s\"", d.user)
	return d.bounce()
}

// Status reports; each returns 0 when the recipient is dealt with.
func (d *delivery) flags() int { return deliver.TraceFlags(d.req.Flags) }

func (d *delivery) sent() int {
	return d.a.status.Sent(d.flags(), d.req.QueueID, d.req.Stats, d.rcpt, d.relay, d.why)
}

func (d *delivery) bounce() int {
	return d.a.status.BounceAppend(d.flags(), d.req.QueueID, d.req.Stats, d.rcpt, d.relay, d.why)
}

func (d *delivery) deferRcpt() int {
	return d.a.status.DeferAppend(d.flags(), d.req.QueueID, d.req.Stats, d.rcpt, d.relay, d.why)
}

// bounceOrDefer reports by the class of the status.
func (d *delivery) bounceOrDefer() int {
	if strings.HasPrefix(d.why.Status, "4") {
		return d.deferRcpt()
	}
	return d.bounce()
}

func (d *delivery) simple(status, format string, args ...any) {
	d.why = dsn.Simple(status, fmt.Sprintf(format, args...))
}

// traceOnly is a request that only asks what would happen.
func (d *delivery) traceOnly() bool { return d.req.Flags&deliver.TraceOnlyMask != 0 }

// seekContent positions the queue file at the message content.
func (d *delivery) seekContent() {
	if _, err := d.qf.Seek(d.req.DataOffset, 0); err != nil {
		d.a.s.Log.Fatalf("seek message file %s: %s", d.qf.Name(), dict.ErrnoText(err))
	}
}

// markCorrupt flags the queue file as damaged (mark_corrupt).
func (d *delivery) markCorrupt() {
	deliver.MarkCorrupt(d.qf, d.a.s.Log, d.a.cfg.ownerUID, d.a.cfg.ownerGID)
}

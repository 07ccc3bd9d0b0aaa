package main

import (
	"net"
	"os"

	"gopostfix/libglobal/bouncelog"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

// Request numbers and flags (bounce.h).
const (
	cmdAppend = 0
	cmdFlush  = 1
	cmdWarn   = 2
	cmdVerp   = 3
	cmdOne    = 4
	cmdTrace  = 5

	flagClean   = 1 << 0
	flagDelRcpt = 1 << 1
)

// serve handles one client: the greeting, one request, the status.
func (d *daemon) serve(nc net.Conn) {
	if len(d.s.Flags.Args) > 0 {
		d.s.Log.Fatalf("unexpected command-line argument: %s", d.s.Flags.Args[0])
	}
	if !queue.NameOK(d.s.Name) {
		d.s.Log.Fatalf("malformed service name: %s", d.s.Name)
	}
	c := attr.NewConn(nc, attr.Format0, d.s.Name+" socket", d.s.IPCTimeout)
	c.R.UTF8 = d.cfg.smtputf8
	if c.Announce("delivery_status_protocol") != nil {
		return
	}
	var cmd int
	status := -1
	cleanPath := ""
	if n, err := c.Scan(attr.Strict|attr.More, attr.RecvInt("nrequest", &cmd)); n != 1 || err != nil {
		d.s.Log.Warnf("malformed request")
	} else {
		status, cleanPath = d.dispatch(c, cmd)
	}
	err := c.Print(attr.Int("status", status))
	d.fatalCleanup = ""
	// A request that asked for it (BOUNCE_FLAG_CLEAN) loses its logfile
	// when it failed, even if only the reply could not be sent.
	if cleanPath != "" && (status != 0 || err != nil) {
		os.Remove(cleanPath)
	}
}

// dispatch reads the rest of the request and runs it. It returns the
// status and, when the client asked for clean-up on error, the logfile.
func (d *daemon) dispatch(c *attr.Conn, cmd int) (int, string) {
	switch cmd {
	case cmdAppend:
		var flags int
		var id string
		var r deliver.Recipient
		var st dsn.DSN
		t := append([]attr.Recv{attr.RecvInt("flags", &flags), attr.RecvStr("queue_id", &id)}, r.Targets()...)
		t = append(t, st.Targets()...)
		if n, _ := c.Scan(attr.Missing|attr.Printable, t...); n != len(t) {
			d.s.Log.Warnf("malformed request")
			return -1, ""
		}
		if !queue.IDOK(id) {
			d.s.Log.Warnf("malformed queue id: %s", msg.PrintableText(id))
			return -1, ""
		}
		clean := d.cleanTrap(flags, id)
		return d.appendLog(d.s.Name, id, r, st), clean
	case cmdFlush, cmdWarn, cmdTrace, cmdVerp, cmdOne:
		r := &notifyRequest{service: d.s.Name}
		t := []attr.Recv{attr.RecvInt("flags", &r.flags), attr.RecvStr("queue_name", &r.queueName),
			attr.RecvStr("queue_id", &r.queueID), attr.RecvStr("encoding", &r.encoding),
			attr.RecvInt("smtputf8", &r.smtputf8), attr.RecvStr("sender", &r.sender),
			attr.RecvStr("envelope_id", &r.envID), attr.RecvInt("ret_flags", &r.ret)}
		var rcpt deliver.Recipient
		var st dsn.DSN
		switch cmd {
		case cmdVerp:
			t = append(t, attr.RecvStr("verp_delimiters", &r.verpDelims))
		case cmdOne:
			t = append(append(t, rcpt.Targets()...), st.Targets()...)
		}
		if n, _ := c.Scan(attr.Missing|attr.Printable, t...); n != len(t) {
			d.s.Log.Warnf("malformed request")
			return -1, ""
		}
		if cmd == cmdOne && d.s.Name != "bounce" {
			d.s.Log.Warnf("wrong service name \"%s\" for one-recipient bouncing", d.s.Name)
			return -1, ""
		}
		if !queue.NameOK(r.queueName) {
			d.s.Log.Warnf("malformed queue name: %s", msg.PrintableText(r.queueName))
			return -1, ""
		}
		if !queue.IDOK(r.queueID) {
			d.s.Log.Warnf("malformed queue id: %s", msg.PrintableText(r.queueID))
			return -1, ""
		}
		if cmd == cmdVerp && len(r.verpDelims) != 2 {
			d.s.Log.Warnf("malformed verp delimiter string: %s", r.verpDelims)
			return -1, ""
		}
		if cmd == cmdOne {
			return d.one(r, entryOf(rcpt, st)), ""
		}
		clean := d.cleanTrap(r.flags, r.queueID)
		switch cmd {
		case cmdFlush:
			return d.failure(r), clean
		case cmdWarn:
			return d.delay(r), clean
		case cmdTrace:
			return d.trace(r), clean
		default:
			return d.verp(r), clean
		}
	}
	d.s.Log.Warnf("unknown command: %d", cmd)
	return -1, ""
}

// cleanTrap arranges for the logfile to go when the request fails
// (bounce_cleanup_register): on a failed status here, and on a fatal
// error through the logger's exit hook.
func (d *daemon) cleanTrap(flags int, id string) string {
	if flags&flagClean == 0 {
		return ""
	}
	path := d.layout.Path(d.s.Name, id)
	d.fatalCleanup = path
	return path
}

// entryOf is the logfile form of a recipient and its status.
func entryOf(r deliver.Recipient, st dsn.DSN) bouncelog.Entry {
	return bouncelog.Entry{Recipient: r.Address, OrigRecipient: r.OrigAddr, Offset: r.Offset,
		DSNOrcpt: r.DSNOrcpt, Notify: r.DSNNotify, Status: st.Status, Action: st.Action,
		DiagType: st.DType, DiagText: st.DText, MTAType: st.MType, MTAName: st.MName, Reason: st.Reason}
}

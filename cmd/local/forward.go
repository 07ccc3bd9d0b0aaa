package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/postmail"
	"gopostfix/libglobal/record"
)

// forwarder collects the addresses that leave this delivery, one new
// message per (delivered, sender) pair (forward.c).
type forwarder struct {
	d     *delivery
	order []fwdKey
	open  map[fwdKey]*fwdMsg
}

type fwdKey struct{ delivered, sender string }

type fwdMsg struct {
	post *postmail.Post
	when time.Time
}

func newForwarder(d *delivery) *forwarder {
	return &forwarder{d: d, open: map[fwdKey]*fwdMsg{}}
}

// add appends a recipient to the message for its (delivered, sender),
// starting that message when needed (forward_append).
func (f *forwarder) add(m msgAttr) error {
	k := fwdKey{m.delivered, m.sender}
	fm, ok := f.open[k]
	if !ok {
		var err error
		if fm, err = f.start(m.sender); err != nil {
			return err
		}
		f.open[k] = fm
		f.order = append(f.order, k)
	}
	w := fm.post.W
	if m.rcpt.DSNOrcpt != "" {
		w.PutAttr("dsn_orig_rcpt", m.rcpt.DSNOrcpt)
	}
	if m.rcpt.DSNNotify != 0 {
		w.PutAttr("notify_flags", fmt.Sprint(m.rcpt.DSNNotify))
	}
	if m.rcpt.OrigAddr != "" {
		w.PutString(record.ORcpt, m.rcpt.OrigAddr)
	}
	w.PutString(record.Rcpt, m.rcpt.Address)
	return w.Err()
}

// start opens a cleanup session and writes the envelope (forward_open).
func (f *forwarder) start(sender string) (*fwdMsg, error) {
	a, req := f.d.a, f.d.req
	flags, err := a.post.Flags(postmail.SrcForward, req.SMTPUTF8, a.s.Log.Warnf)
	if err != nil {
		a.s.Log.Fatalf("%v", err)
	}
	p, err := postmail.Connect(&a.post, flags|postmail.FlagBounce)
	if err != nil {
		var fe *postmail.FatalError
		if !errors.As(err, &fe) {
			a.s.Log.Warnf("%v", err)
		}
		return nil, err
	}
	fm := &fwdMsg{post: p, when: time.Now()}
	w := p.W
	w.Printf(record.Time, "%d %d", fm.when.Unix(), fm.when.Nanosecond()/1000)
	w.PutString(record.From, sender)
	if req.Ret != 0 {
		w.PutAttr("dsn_ret", fmt.Sprint(req.Ret))
	}
	pass := func(name, value string) {
		if value != "" {
			w.PutAttr(name, value)
		}
	}
	pass("dsn_envid", req.EnvID)
	pass("log_client_name", req.ClientName)
	pass("log_client_address", req.ClientAddr)
	pass("log_protocol_name", req.ClientProto)
	pass("log_helo_name", req.ClientHelo)
	pass("sasl_method", req.SASLMethod)
	pass("sasl_username", req.SASLUsername)
	pass("sasl_sender", req.SASLSender)
	pass("log_ident", req.LogIdent)
	pass("rewrite_context", req.RewriteContext)
	return fm, w.Err()
}

// finish sends every collected message, unless the recipient already
// failed (cancel != 0); each success is reported as "forwarded as ID"
// (forward_finish, forward_send).
func (f *forwarder) finish(m msgAttr, cancel int) int {
	status := cancel
	for _, k := range f.order {
		fm := f.open[k]
		if status == 0 {
			status |= f.send(fm, m, k.delivered)
		} else {
			fm.post.Abort()
		}
	}
	f.order, f.open = nil, map[fwdKey]*fwdMsg{}
	return status
}

func (f *forwarder) send(fm *fwdMsg, m msgAttr, delivered string) int {
	d := f.d
	w := fm.post.W
	w.PutString(record.Mesg, "")
	w.PutString(record.Norm, fmt.Sprintf("Received: by %s (%s)", d.a.cfg.myhostname, d.a.cfg.mailName))
	w.PutString(record.Norm, fmt.Sprintf("\tid %s; %s", fm.post.ID, headers.MailDate(fm.when)))
	if d.a.cfg.hdrMask&hdrFwd != 0 {
		w.PutString(record.Norm, "Delivered-To: "+strings.ToLower(delivered))
	}
	status := 0
	if w.Err() != nil {
		status = 1
	}
	d.seekContent()
	rd := record.NewReader(d.qf, d.qf.Name(), record.Default, 0)
	var typ byte
	for status == 0 {
		rec, err := rd.Next()
		if err != nil {
			typ = 0
			break
		}
		typ = rec.Type
		if typ != record.Norm && typ != record.Cont {
			break
		}
		if w.Put(typ, rec.Data) != nil {
			status = 1
		}
	}
	if status == 0 && typ != record.Xtra {
		d.a.s.Log.Warnf("%s: bad record type: %d in message content", fm.post.ID, recTypeNumber(typ))
		d.markCorrupt()
		status = deliverDefer
	}
	if status != 0 {
		fm.post.Abort()
		return status
	}
	w.PutString(record.Xtra, "")
	w.PutString(record.End, "")
	if fm.post.Finish() != 0 {
		return 1
	}
	m.rcpt.DSNNotify = withoutSuccess(m.rcpt.DSNNotify)
	m.why = dsn.DSN{Status: "2.0.0", Action: "relayed", Reason: "forwarded as " + fm.post.ID}
	return d.sent(m)
}

// recTypeNumber is how Postfix prints a record type: the byte, or -1 at
// end of file.
func recTypeNumber(t byte) int {
	if t == 0 {
		return -1
	}
	return int(t)
}

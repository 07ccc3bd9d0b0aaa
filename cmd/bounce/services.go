package main

import (
	"errors"
	"os"
	"strings"

	"gopostfix/libglobal/bouncelog"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/namemask"
)

// Error classes of notify_classes (mail_error.h).
const (
	errPolicy   = 1 << 0
	errProtocol = 1 << 1
	errBounce   = 1 << 2
	errSoftware = 1 << 3
	errResource = 1 << 4
	err2Bounce  = 1 << 5
	errDelay    = 1 << 6
	errData     = 1 << 7
)

// notifyOverride selects every recipient (DSN_NOTIFY_OVERRIDE).
const notifyOverride = deliver.NotifyNever | deliver.NotifySuccess | deliver.NotifyFailure | deliver.NotifyDelay

// notifyRequest is a FLUSH, WARN or TRACE request.
type notifyRequest struct {
	flags                       int
	service, queueName, queueID string
	encoding                    string
	smtputf8                    int
	sender, envID               string
	ret                         int
	verpDelims                  string
}

// doubleBounce is the double-bounce sender address (mail_addr_double_bounce).
func (d *daemon) doubleBounce() string { return d.cfg.doubleBounce + "@" + d.cfg.myhostname }

func (d *daemon) isDoubleBounce(addr string) bool {
	return strings.EqualFold(addr, d.doubleBounce())
}

// removeLog deletes the logfile once its notice is out; failure other than
// "already gone" is fatal.
func (d *daemon) removeLog(service, id string) {
	if err := d.layout.Remove(service, id); err != nil && !errors.Is(err, os.ErrNotExist) {
		d.s.Log.Fatalf("remove %s %s: %s", service, id, dict.ErrnoText(err))
	}
}

// sendLogged posts one notice built from the logfile: header (and
// boilerplate unless it is a postmaster copy), the entries that pass
// filter in both forms, and the original. It returns the post status
// (0 = posted, or nothing applicable to send) and logs what was sent.
func (d *daemon) sendLogged(b *info, sender, rcpt string, pmCopy bool, filter, ret int, what string) int {
	p, err := d.post(sender, rcpt, b.smtputf8)
	if err != nil {
		return 1
	}
	n := &notice{w: p.w}
	count := -1
	if b.header(n, rcpt, pmCopy) == nil &&
		(pmCopy || b.boilerplate(n) == nil) {
		if count = b.diagnosticLog(n, filter); count > 0 &&
			b.headerDSN(n) == nil && b.diagnosticDSN(n, filter) > 0 {
			b.original(n, ret)
			status := p.close()
			if status == 0 {
				d.s.Log.Infof("%s: %s: %s", b.queueID, what, p.id)
			}
			return status
		}
	}
	p.abort()
	if count == 0 {
		return 0
	}
	return 1
}

// sendOne posts a notice about a single recipient (bounce_one and VERP
// style): nothing is filtered, the notice goes out even when writing it
// failed half-way (its status then tells).
func (d *daemon) sendOne(b *info, e bouncelog.Entry, sender, rcpt string, pmCopy bool, ret int, what string) int {
	p, err := d.post(sender, rcpt, b.smtputf8)
	if err != nil {
		return 1
	}
	n := &notice{w: p.w}
	if b.header(n, rcpt, pmCopy) == nil &&
		(pmCopy || b.boilerplate(n) == nil) &&
		b.recipientLog(n, e) == nil &&
		b.headerDSN(n) == nil &&
		b.recipientDSN(n, e) == nil {
		b.original(n, ret)
	}
	status := p.close()
	if status == 0 {
		d.s.Log.Infof("%s: %s: %s", b.queueID, what, p.id)
	}
	return status
}

// failure sends a non-delivery notice from the bounce (or, at expiry,
// defer) logfile (bounce_notify_service).
func (d *daemon) failure(r *notifyRequest) int {
	b := d.newInfo(r.service, r.queueName, r.queueID, r.encoding, r.smtputf8, r.envID, d.tmpls.Failure)
	defer b.close()
	return d.notify(r, b, errBounce|err2Bounce, errBounce, d.cfg.doubleBounceRcpt, d.cfg.bounceRcpt,
		deliver.NotifyFailure, "non-delivery", "bouncing to", true)
}

// delay sends a delay warning from the defer logfile (bounce_warn_service).
func (d *daemon) delay(r *notifyRequest) int {
	b := d.newInfo(r.service, r.queueName, r.queueID, r.encoding, r.smtputf8, r.envID, d.tmpls.Delay)
	defer b.close()
	return d.notify(r, b, errDelay, errDelay, d.cfg.delayRcpt, d.cfg.delayRcpt,
		deliver.NotifyDelay, "delay", "warning", false)
}

// notify is the common flow of failure and delay notices: a double
// bounce is dropped, a single bounce goes to the postmaster (class
// bounceClasses), anything else to the sender, with an optional
// postmaster copy (class copyClass).
func (d *daemon) notify(r *notifyRequest, b *info, bounceClasses, copyClass int, pmRcpt, copyRcpt string,
	senderFilter int, kind, failWhat string, final bool) int {
	mask := d.notifyMask()
	status := 1
	switch {
	case d.isDoubleBounce(r.sender):
		d.s.Log.Warnf("%s: undeliverable postmaster notification discarded", r.queueID)
		status = 0
	case r.sender == "":
		if mask&bounceClasses == 0 {
			status = 0
		} else {
			status = d.sendLogged(b, d.doubleBounce(), pmRcpt, true, notifyOverride, deliver.RetFull,
				"postmaster "+kind+" notification")
		}
	default:
		ret := deliver.RetHdrs
		if final {
			ret = r.ret
			if ret == 0 {
				ret = deliver.RetFull
			}
		}
		status = d.sendLogged(b, "", r.sender, false, senderFilter, ret, "sender "+kind+" notification")
		if status == 0 && mask&copyClass != 0 && !d.isDoubleBounce(r.sender) {
			if d.sendLogged(b, d.doubleBounce(), copyRcpt, true, notifyOverride, deliver.RetHdrs,
				"postmaster "+kind+" notification") != 0 {
				d.s.Log.Warnf("%s: postmaster notice failed while %s %s", r.queueID, failWhat, r.sender)
			}
		}
	}
	if final {
		if status == 0 && r.flags&flagDelRcpt != 0 {
			b.deleteRecipients()
		}
		if status == 0 {
			d.removeLog(r.service, r.queueID)
		}
	}
	return status
}

// trace sends a delivery status report from the trace logfile
// (bounce_trace_service): a success notice, or a "sendmail -v"/"-bv"
// report.
func (d *daemon) trace(r *notifyRequest) int {
	sender := ""
	rcpt := r.sender
	switch {
	case d.isDoubleBounce(r.sender):
		d.s.Log.Infof("%s: not sending trace/success notification for double-bounce message", r.queueID)
		return 0
	case r.sender == "":
		if d.notifyMask()&err2Bounce == 0 {
			d.s.Log.Infof("%s: not sending trace/success notification for single-bounce message", r.queueID)
			d.removeLog(r.service, r.queueID)
			return 0
		}
		rcpt, sender = d.cfg.doubleBounceRcpt, d.doubleBounce()
	}
	t := d.tmpls.Success
	if r.flags&(deliver.FlagUserVrfy|deliver.FlagRecord) != 0 {
		t = d.tmpls.Verify
	}
	b := d.newInfo(r.service, r.queueName, r.queueID, r.encoding, r.smtputf8, r.envID, t)
	defer b.close()
	if b.log == nil {
		d.s.Log.Debugf("%s: no trace file -- not sending a notification", r.queueID)
		return 0
	}
	status := d.sendLogged(b, sender, rcpt, false, notifyOverride, deliver.RetHdrs,
		"sender delivery status notification")
	if status == 0 {
		d.removeLog(r.service, r.queueID)
	}
	return status
}

// one sends a non-delivery notice for one recipient right away
// (bounce_one_service).
func (d *daemon) one(r *notifyRequest, e bouncelog.Entry) int {
	b := d.newInfo("none", r.queueName, r.queueID, r.encoding, r.smtputf8, r.envID, d.tmpls.Failure)
	defer b.close()
	return d.oneWith(r, b, e)
}

func (d *daemon) oneWith(r *notifyRequest, b *info, e bouncelog.Entry) int {
	mask := d.notifyMask()
	status := 1
	switch {
	case d.isDoubleBounce(r.sender):
		d.s.Log.Warnf("%s: undeliverable postmaster notification discarded", r.queueID)
		status = 0
	case r.sender == "":
		if mask&(errBounce|err2Bounce) == 0 {
			status = 0
		} else {
			status = d.sendOne(b, e, d.doubleBounce(), d.cfg.doubleBounceRcpt, true, deliver.RetFull,
				"postmaster non-delivery notification")
		}
	default:
		if e.Notify != 0 && e.Notify&deliver.NotifyFailure == 0 {
			status = 0
		} else {
			ret := r.ret
			if ret == 0 {
				ret = deliver.RetFull
			}
			status = d.sendOne(b, e, "", r.sender, false, ret, "sender non-delivery notification")
		}
		if status == 0 && mask&errBounce != 0 && !d.isDoubleBounce(r.sender) {
			if d.sendOne(b, e, d.doubleBounce(), d.cfg.bounceRcpt, true, deliver.RetHdrs,
				"postmaster non-delivery notification") != 0 {
				d.s.Log.Warnf("%s: postmaster notice failed while bouncing to %s", r.queueID, r.sender)
			}
		}
	}
	if status == 0 && r.flags&flagDelRcpt != 0 {
		b.deleteOne(e)
	}
	return status
}

// verp sends one non-delivery notice per recipient to a VERP-encoded
// sender address (bounce_notify_verp).
func (d *daemon) verp(r *notifyRequest) int {
	if r.sender == "" || d.isDoubleBounce(r.sender) {
		d.s.Log.Warnf("request to send VERP-style notification of bounced mail")
		return d.failure(r)
	}
	b := d.newInfo(r.service, r.queueName, r.queueID, r.encoding, r.smtputf8, r.envID, d.tmpls.Failure)
	defer b.close()
	if b.log == nil {
		e := bouncelog.Entry{Recipient: "(recipient address unavailable)", Status: "5.0.0",
			Reason: "(error report unavailable)"}
		b.service = "none"
		return d.oneWith(r, b, e)
	}
	list, _ := b.entries(notifyOverride)
	status := 0
	ret := r.ret
	if ret == 0 {
		ret = deliver.RetFull
	}
	for _, e := range list {
		if e.Notify != 0 && e.Notify&deliver.NotifyFailure == 0 {
			status = 0
		} else {
			status = d.sendOne(b, e, "", verpSender(r.verpDelims, r.sender, e), false, ret,
				"sender non-delivery notification")
			if status != 0 {
				break
			}
			if r.flags&flagDelRcpt != 0 {
				b.deleteOne(e)
			}
		}
		if d.notifyMask()&errBounce != 0 {
			if d.sendOne(b, e, d.doubleBounce(), d.cfg.bounceRcpt, true, deliver.RetHdrs,
				"postmaster non-delivery notification") != 0 {
				d.s.Log.Warnf("%s: postmaster notice failed while bouncing to %s", r.queueID, r.sender)
			}
		}
	}
	if status == 0 {
		d.removeLog(r.service, r.queueID)
	}
	return status
}

// verpSender turns prefix@origin into prefix+user=domain@origin for the
// recipient's original address (verp_sender).
func verpSender(delims, sender string, e bouncelog.Entry) string {
	rcpt := e.OrigRecipient
	if rcpt == "" {
		rcpt = e.Recipient
	}
	sl := strings.LastIndexByte(sender, '@')
	if sl < 0 {
		sl = len(sender)
	}
	rl := strings.LastIndexByte(rcpt, '@')
	if rl < 0 {
		rl = len(rcpt)
	}
	out := sender[:sl] + delims[:1] + rcpt[:rl]
	if rl+1 < len(rcpt) {
		out += delims[1:2] + rcpt[rl+1:]
	}
	if sl+1 < len(sender) {
		out += "@" + sender[sl+1:]
	}
	return out
}

// deleteRecipients marks every logged recipient done in the original
// queue file (bounce_delrcpt).
func (b *info) deleteRecipients() {
	if b.orig == nil {
		return
	}
	list, ok := b.entries(notifyOverride)
	if !ok {
		return
	}
	for _, e := range list {
		b.deleteOne(e)
	}
}

// deleteOne marks one recipient done (bounce_delrcpt_one).
func (b *info) deleteOne(e bouncelog.Entry) {
	if b.orig != nil && e.Offset > 0 {
		if err := deliver.Completed(b.orig, e.Offset); err != nil {
			b.d.s.Log.Fatalf("%v", err)
		}
	}
}

// classNames are the notify_classes names (mail_error_masks).
var classNames = []namemask.Name{{Name: "bounce", Mask: errBounce}, {Name: "2bounce", Mask: err2Bounce},
	{Name: "data", Mask: errData}, {Name: "delay", Mask: errDelay}, {Name: "policy", Mask: errPolicy},
	{Name: "protocol", Mask: errProtocol}, {Name: "resource", Mask: errResource}, {Name: "software", Mask: errSoftware}}

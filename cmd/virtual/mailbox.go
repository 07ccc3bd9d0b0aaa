package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/maildir"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/eugid"
)

// owner is whose rights write a mailbox (USER_ATTR).
type owner struct {
	path     string
	uid, gid int
}

// mailbox looks up the recipient's mailbox and owner and delivers; ok is
// false when the recipient has no mailbox (deliver_mailbox).
func (d *delivery) mailbox() (int, bool) {
	c := &d.a.cfg
	if !strings.HasPrefix(c.base, "/") {
		d.a.s.Log.Fatalf("do not specify relative pathname: %s = %s", "virtual_mailbox_base", c.base)
	}
	res, err := d.a.mailbox.MailAddrFind(d.a.addrEnv, d.user, maps.FindDefault)
	if err != nil {
		d.a.s.Log.Warnf("table %s: lookup %s: %s", d.a.mailbox.Title, d.user, dict.ErrnoOf(err))
		return d.configError(), true
	}
	if !res.Found {
		return 0, false
	}
	u := owner{path: c.base + "/" + res.Value}
	var ok bool
	if u.uid, ok = d.lookupID(d.a.uids, "uid", int64(c.minUID)); !ok {
		return d.configError(), true
	}
	if u.gid, ok = d.lookupID(d.a.gids, "gid", 1); !ok {
		return d.configError(), true
	}
	if strings.HasSuffix(u.path, "/") {
		return d.maildir(u), true
	}
	return d.mailboxFile(u), true
}

// lookupID finds the numeric user or group ID of the recipient, at least
// min; failures are logged and reported as false.
func (d *delivery) lookupID(m *maps.Maps, what string, min int64) (int, bool) {
	res, err := m.MailAddrFind(d.a.addrEnv, d.user, maps.FindDefault)
	if err != nil || !res.Found {
		d.a.s.Log.Warnf("recipient %s: not found in %s", d.user, m.Title)
		return 0, false
	}
	n := atol(res.Value)
	if n < min {
		d.a.s.Log.Warnf("recipient %s: bad %s %s in %s", d.user, what, res.Value, m.Title)
		return 0, false
	}
	return int(n), true
}

// configError defers with Postfix's generic configuration problem.
func (d *delivery) configError() int {
	d.simple("4.3.5", "mail system configuration error")
	return d.deferRcpt()
}

// copyArgs describes the copy of the message for this recipient.
func (d *delivery) copyArgs(flags int) mbox.CopyArgs {
	return mbox.CopyArgs{Sender: d.req.Sender, OrigRcpt: d.rcpt.OrigAddr, Delivered: d.delivered,
		EnableOrigRcpt: d.a.cfg.enableOrcpt, Src: d.qf, Flags: flags, EOL: "\n", Now: time.Now(),
		MarkCorrupt: d.markCorrupt, Warn: d.a.s.Log.Warnf}
}

// mailboxFile appends to an mbox file as the recipient, so that quotas
// apply (deliver_mailbox_file).
func (d *delivery) mailboxFile(u owner) int {
	if d.traceOnly() {
		d.simple("2.0.0", "delivers to mailbox")
		return d.sent()
	}
	d.seekContent()
	d.delivered = d.rcpt.Address
	c := &d.a.cfg
	stat := mbox.StatWrite
	var why *mbox.Error
	eugid.Set(u.uid, u.gid)
	mb, why := mbox.Open(u.path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0600, -1, -1,
		c.lockMask, "4.2.0", c.lock, d.a.s.Log)
	if mb != nil {
		switch {
		case mb.Stat.Mode&syscall.S_IFMT != syscall.S_IFREG:
			mb.File.Close()
			d.a.s.Log.Warnf("recipient %s: destination %s is not a regular file", d.rcpt.Address, u.path)
			why = &mbox.Error{Status: "5.3.5", Reason: "mail system configuration error"}
		case c.strictOwner && int(mb.Stat.Uid) != u.uid:
			mb.File.Close()
			why = &mbox.Error{Status: "4.2.0", Reason: "destination " + u.path + " is not owned by recipient"}
			d.a.s.Log.Warnf("specify \"%s = no\" to ignore mailbox ownership mismatch", "strict_mailbox_ownership")
		default:
			stat, why = mbox.Copy(d.copyArgs(mbox.CopyMbox), mb.File)
		}
		mb.Release()
	}
	eugid.Set(c.ownerUID, c.ownerGID)
	switch {
	case stat&mbox.StatCorrupt != 0:
		return deliver.StatDefer
	case stat != 0:
		d.why = why.DSN()
		d.why.Reason = "delivery failed to mailbox " + u.path + ": " + d.why.Reason
		return d.bounceOrDefer()
	}
	d.simple("2.0.0", "delivered to mailbox")
	return d.sent()
}

// maildir delivers into a Maildir as the recipient (deliver_maildir).
// The location is the administrator's, so a failure defers.
func (d *delivery) maildir(u owner) int {
	start := time.Now()
	if d.traceOnly() {
		d.simple("2.0.0", "delivers to maildir")
		return d.sent()
	}
	d.seekContent()
	d.delivered = d.rcpt.Address
	var stat int
	var why *mbox.Error
	eugid.As(u.uid, u.gid, func() {
		stat, why = maildir.Deliver(maildir.Delivery{Dir: u.path, Start: start, Hostname: d.a.hostname,
			PID: os.Getpid(), Copy: d.copyArgs(0), Delivered: true, Status: "4.2.0", Warn: d.a.s.Log.Warnf})
	})
	switch {
	case stat&mbox.StatCorrupt != 0:
		return deliver.StatDefer
	case stat != 0:
		d.why = maildir.FailureDSN(d.a.s.Log, u.uid, u.gid, why)
		return d.bounceOrDefer()
	}
	d.simple("2.0.0", "delivered to maildir")
	return d.sent()
}

// atol reads a leading decimal number as atol(3) does (0 when there is
// none).
func atol(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\r\f\v")
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.ParseInt(s[:end], 10, 64)
	return n
}

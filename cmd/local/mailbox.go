package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/maildir"
	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/util/dict"
)

// mailbox delivers to the user's mailbox (deliver_mailbox); ok is false
// when the user does not exist.
func (d *delivery) mailbox(m msgAttr, u userAttr) (int, bool) {
	m.level++
	if d.dup.seen("mailbox " + m.local) {
		return 0, true
	}
	if t, ok, err := d.a.findUser(&d.a.mboxTransp, m.user); ok {
		m.rcpt.Offset = -1
		return d.pass(m, t), true
	} else if err != nil {
		return d.tableFailure(m), true
	}
	if t := d.a.cfg.mailboxTransport; t != "" {
		m.rcpt.Offset = -1
		return d.pass(m, t), true
	}
	pw, res, failed := d.recipientUser(m)
	if failed {
		return res, true
	}
	if pw == nil {
		return 0, false
	}
	u = *pw
	c := &d.a.cfg
	cmd, haveCmd, err := d.a.findUser(&d.a.mboxCommand, m.user)
	switch {
	case haveCmd:
		return d.command(m, u, cmd), true
	case err != nil:
		return d.tableFailure(m), true
	case c.mailboxCommand != "":
		return d.command(m, u, c.mailboxCommand), true
	case strings.HasSuffix(c.homeMailbox, "/"):
		return d.maildir(m, u, u.home+"/"+c.homeMailbox), true
	case strings.HasSuffix(c.spoolDir, "/"):
		return d.maildir(m, u, c.spoolDir+m.user+"/"), true
	}
	return d.mailboxFile(m, u), true
}

// tableFailure defers the recipient when one of the per-user tables
// could not be searched (the table logged why).
func (d *delivery) tableFailure(m msgAttr) int {
	m.simple("4.3.0", "table lookup failure")
	return d.deferRcpt(m)
}

// copyArgs describes a copy of the message for m.
func (d *delivery) copyArgs(m msgAttr, flags int) mbox.CopyArgs {
	return mbox.CopyArgs{Sender: m.sender, OrigRcpt: m.rcpt.OrigAddr, Delivered: m.delivered,
		EnableOrigRcpt: d.a.cfg.enableOrcpt, Src: d.qf, Flags: flags, EOL: "\n", Now: time.Now(),
		MarkCorrupt: d.markCorrupt, Warn: d.a.s.Log.Warnf}
}

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

// mailboxFile appends to an mbox file in the spool directory or home
// (deliver_mailbox_file).
func (d *delivery) mailboxFile(m msgAttr, u userAttr) int {
	m.level++
	if d.traceOnly() {
		m.simple("2.0.0", "delivers to mailbox")
		return d.sent(m)
	}
	d.seekContent()
	if !d.a.cfg.frozenDelivered {
		m.delivered = m.rcpt.Address
	}
	c := &d.a.cfg
	var path, spool string
	if c.homeMailbox != "" {
		path = u.home + "/" + c.homeMailbox
	} else {
		spool = c.spoolDir
		path = spool + "/" + m.user
	}
	// Least privilege: the user when the spool is world-writable (or
	// for a home mailbox), the user with the spool's group when it is
	// group-writable, else root, which gives a new mailbox to the user.
	spoolUID, spoolGID := u.uid, u.gid
	var st syscall.Stat_t
	if spool != "" && syscall.Stat(spool, &st) == nil && st.Mode&syscall.S_IWOTH == 0 {
		if st.Mode&syscall.S_IWGRP != 0 {
			spoolGID = int(st.Gid)
		} else {
			spoolUID, spoolGID = 0, 0
		}
	}
	chownUID, chownGID := -1, -1
	if spoolUID != u.uid {
		chownUID, chownGID = u.uid, u.gid
	}
	flags := mbox.CopyMbox
	if c.hdrMask&hdrFile == 0 {
		flags &^= mbox.CopyDelivered
	}
	stat := mbox.StatWrite
	var why *mbox.Error
	var end int64 // where the new message starts
	setEUGID(spoolUID, spoolGID)
	mb, why := mbox.Open(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0600, chownUID, chownGID,
		c.lockMask, "5.2.0", c.lock, d.a.s.Log)
	if mb != nil {
		if spoolUID != u.uid || spoolGID != u.gid {
			setEUGID(u.uid, u.gid)
		}
		switch {
		case mb.Stat.Mode&syscall.S_IFMT != syscall.S_IFREG:
			mb.File.Close()
			why = &mbox.Error{Status: "5.2.0", Reason: fmt.Sprintf("destination %s is not a regular file", path)}
		case c.strictOwner && int(mb.Stat.Uid) != u.uid:
			mb.File.Close()
			why = &mbox.Error{Status: "4.2.0", Reason: fmt.Sprintf("destination %s is not owned by recipient", path)}
			d.a.s.Log.Warnf("specify \"%s = no\" to ignore mailbox ownership mismatch", "strict_mailbox_ownership")
		default:
			end, _ = mb.File.Seek(0, io.SeekEnd)
			stat, why = mbox.Copy(d.copyArgs(m, flags), mb.File)
		}
		if spoolUID != u.uid || spoolGID != u.gid {
			setEUGID(spoolUID, spoolGID)
		}
		mb.Release()
	}
	setEUGID(c.ownerUID, c.ownerGID)
	switch {
	case stat&mbox.StatCorrupt != 0:
		return deliverDefer
	case stat != 0 || why != nil:
		m.why = why.DSN()
		m.why.Reason = fmt.Sprintf("cannot update mailbox %s for user %s. %s", path, m.user, m.why.Reason)
		return d.bounceOrDefer(m)
	}
	m.simple("2.0.0", "delivered to mailbox")
	res := d.sent(m)
	if c.biff {
		d.a.biff.notify(u.logname, end)
	}
	return res
}

// maildir delivers into a Maildir as the user (deliver_maildir).
func (d *delivery) maildir(m msgAttr, u userAttr, path string) int {
	m.level++
	if d.traceOnly() {
		m.simple("2.0.0", "delivers to maildir")
		return d.sent(m)
	}
	start := time.Now()
	d.seekContent()
	if !d.a.cfg.frozenDelivered {
		m.delivered = m.rcpt.Address
	}
	var stat int
	var why *mbox.Error
	d.a.asUser(u.uid, u.gid, func() {
		stat, why = maildir.Deliver(maildir.Delivery{Dir: path, Start: start, Hostname: d.a.hostname,
			PID: os.Getpid(), Copy: d.copyArgs(m, 0), Delivered: d.a.cfg.hdrMask&hdrFile != 0,
			Warn: d.a.s.Log.Warnf})
	})
	switch {
	case stat&mbox.StatCorrupt != 0:
		return deliverDefer
	case stat != 0:
		m.why = maildir.FailureDSN(d.a.s.Log, u.uid, u.gid, why)
		return d.bounceOrDefer(m)
	}
	m.simple("2.0.0", "delivered to maildir")
	return d.sent(m)
}

// deliverDefer is DEL_STAT_DEFER: the recipient stays in the queue.
const deliverDefer = -1

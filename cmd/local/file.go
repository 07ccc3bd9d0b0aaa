package main

import (
	"fmt"
	"os"
	"strings"
	"syscall"

	"gopostfix/libglobal/mbox"
)

// file appends to a /file named in an alias, :include: or .forward
// (deliver_file); a path ending in "/" is a Maildir.
func (d *delivery) file(m msgAttr, u userAttr, path string) int {
	m.level++
	if d.dup.seen(fmt.Sprintf("file %d %s", u.uid, path)) {
		return 0
	}
	c := &d.a.cfg
	if c.fileMask&m.expType == 0 {
		m.simple("5.7.1", "mail to file is restricted")
		return d.bounceWorkaround(m)
	}
	if d.traceOnly() {
		m.simple("2.0.0", "delivers to file: %s", path)
		return d.sent(m)
	}
	if u.uid == 0 {
		u.uid = c.defaultUID
	}
	if u.gid == 0 {
		u.gid = c.defaultGID
	}
	if strings.HasSuffix(path, "/") {
		return d.maildir(m, u, path)
	}
	d.seekContent()
	flags := mbox.CopyMbox
	if c.hdrMask&hdrFile == 0 {
		flags &^= mbox.CopyDelivered
	}
	stat := mbox.StatWrite
	var why *mbox.Error
	d.a.asUser(u.uid, u.gid, func() {
		mb, err := mbox.Open(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0600, -1, -1,
			c.lockMask|mbox.LockDotMayFail, "5.2.0", c.lock, d.a.s.Log)
		if err != nil {
			why = err
			return
		}
		isReg := mb.Stat.Mode&syscall.S_IFMT == syscall.S_IFREG
		if isReg && mb.Stat.Mode&0111 != 0 {
			mb.File.Close()
			why = &mbox.Error{Status: "5.7.1", Reason: "file is executable"}
		} else {
			if !isReg {
				flags &^= mbox.CopyToFile
			}
			stat, why = mbox.Copy(d.copyArgs(m, flags), mb.File)
		}
		mb.Release()
	})
	switch {
	case stat&mbox.StatCorrupt != 0:
		return deliverDefer
	case stat != 0 || why != nil:
		m.why = why.DSN()
		m.why.Reason = fmt.Sprintf("cannot append message to file %s: %s", path, m.why.Reason)
		return d.bounceWorkaround(m)
	}
	m.simple("2.0.0", "delivered to file: %s", path)
	return d.sent(m)
}

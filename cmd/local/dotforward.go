package main

import (
	"strings"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/util/dict"
)

// dotForward expands the first existing file of forward_path
// (deliver_dotforward); ok is false when there is none to use.
func (d *delivery) dotForward(m msgAttr, u userAttr) (int, bool) {
	m.level++
	if d.a.cfg.forwardPath == "" {
		return 0, false
	}
	pw, res, failed := d.recipientUser(m)
	if failed {
		return res, true
	}
	if pw == nil {
		return 0, false
	}
	if !d.a.cfg.frozenDelivered {
		m.delivered = m.rcpt.Address
	}
	u = *pw
	m.expType = expFwd
	m.owner = m.user
	path := ""
	found := false
	for _, lhs := range strings.FieldsFunc(d.a.cfg.forwardPath, isCommaSpace) {
		p, extMatched, err := d.localExpand(lhs, m, u, d.a.cfg.fwdFilter)
		if err != nil {
			continue
		}
		if _, err := d.a.lstatAs(p, u.uid, u.gid); err == nil {
			if extMatched || d.a.cfg.extPropMask&extPropForward == 0 {
				m.unmatched = ""
			}
			path, found = p, true
			break
		}
	}
	if !found {
		return 0, false
	}
	if d.req.Flags&deliver.FlagMTAVrfy != 0 {
		m.simple("2.0.0", "forward via file: %s", path)
		return d.sent(m), true
	}
	if d.dup.seen("forward " + path) {
		return 0, d.dup.check("forward-done " + path)
	}
	m.expFrom = m.local
	st, err := d.a.lstatAs(path, u.uid, u.gid)
	switch {
	case err != nil:
		d.a.s.Log.Warnf("cannot open file %s: %s", path, dict.ErrnoText(err))
	case !st.Mode().IsRegular():
		d.a.s.Log.Warnf("file %s is not a regular file", path)
	case fileOwner(st) != 0 && fileOwner(st) != u.uid:
		d.a.s.Log.Warnf("file %s has bad owner uid %d", path, fileOwner(st))
	case st.Mode().Perm()&0002 != 0:
		d.a.s.Log.Warnf("file %s is world writable", path)
	default:
		f, err := d.a.openAs(path, u.uid, u.gid)
		if err != nil {
			d.a.s.Log.Warnf("cannot open file %s: %s", path, dict.ErrnoText(err))
			break
		}
		count := 0
		notify := m.rcpt.DSNNotify
		m.rcpt.DSNNotify = withoutSuccess(notify)
		status := d.tokenStream(m, u, f, &count)
		f.Close()
		if count > 0 {
			d.dup.seen("forward-done " + path)
			if status == 0 && notify&deliver.NotifySuccess != 0 {
				m.rcpt.DSNNotify = notify
				m.why = dsn.DSN{Status: "2.0.0", Action: "expanded", Reason: "alias expanded"}
				d.trace(m)
			}
			return status, true
		}
	}
	return 0, false
}

func isCommaSpace(r rune) bool { return strings.ContainsRune(", \t\r\n", r) }

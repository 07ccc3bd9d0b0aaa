package main

import (
	"fmt"
	"os"
	"strings"

	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/delivered"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/dict"
)

// recipient delivers one address of the expansion tree
// (deliver_recipient): duplicate and loop checks, then the delivery
// switch.
func (d *delivery) recipient(m msgAttr, u userAttr) int {
	m.level++
	if d.dup.seen(fmt.Sprintf("recipient %d %s", m.level, m.rcpt.Address)) {
		return 0
	}
	if d.loop.Has(m.rcpt.Address) {
		m.simple("5.4.6", "mail forwarding loop for %s", m.rcpt.Address)
		return d.bounceWorkaround(m)
	}
	if m.delivered == "" {
		m.delivered = m.rcpt.Address
	}
	m.local = strings.ToLower(m.rcpt.Address)
	m.domain = ""
	if i := strings.LastIndexByte(m.local, '@'); i >= 0 {
		m.local, m.domain = m.local[:i], m.local[i+1:]
	} else {
		d.a.s.Log.Warnf("no @ in recipient address: %s", m.local)
	}
	m.user, m.extension = m.local, ""
	if bare, ext, ok := d.a.addrEnv.SplitExt(m.local); ok {
		m.user, m.extension = bare, ext
		if strings.Contains(ext, "/") {
			d.a.s.Log.Warnf("%s: address with illegal extension: %s", d.req.QueueID, m.local)
			m.extension = ""
			m.local = m.user
		}
	}
	m.unmatched = m.extension
	if m.user == "" {
		m.simple("5.1.3", "null username in \"%s\"", m.rcpt.Address)
		return d.bounce(m)
	}
	return d.deliverSwitch(m, u)
}

// deliverSwitch picks the delivery method (deliver_switch).
func (d *delivery) deliverSwitch(m msgAttr, u userAttr) int {
	m.level++
	if strings.HasPrefix(m.rcpt.Address, "\\") {
		m.rcpt.Address = m.rcpt.Address[1:]
		m.local = strings.TrimPrefix(m.local, "\\")
		m.user = strings.TrimPrefix(m.user, "\\")
		if st, ok := d.mailbox(m, u); ok {
			return st
		}
		return d.unknown(m, u)
	}
	m.unmatched = ""
	if st, ok := d.alias(m, u, m.local); ok {
		return st
	}
	if m.extension != "" {
		if d.a.cfg.extPropMask&extPropAlias != 0 {
			m.unmatched = m.extension
		}
		if st, ok := d.alias(m, u, m.user); ok {
			return st
		}
		m.unmatched = m.extension
	}
	if m.owner != "" && !strings.EqualFold(m.owner, m.user) {
		return d.indirect(m)
	}
	if m.expType == expIncl {
		return d.indirect(m)
	}
	if d.a.cfg.statHomeDir {
		pw, res, failed := d.recipientUser(m)
		if failed {
			return res
		}
		if pw != nil {
			if err := d.a.statAs(pw.home, pw.uid, pw.gid); err != nil {
				m.simple("4.3.0", "cannot access home directory %s: %s", pw.home, dict.ErrnoText(err))
				return d.deferRcpt(m)
			}
		}
	}
	if st, ok := d.dotForward(m, u); ok {
		return st
	}
	if st, ok := d.mailbox(m, u); ok {
		return st
	}
	return d.unknown(m, u)
}

// unknown handles a recipient that is no user (deliver_unknown).
func (d *delivery) unknown(m msgAttr, u userAttr) int {
	m.level++
	if d.dup.seen("deliver_unknown " + m.local) {
		return 0
	}
	if t, ok, err := d.a.findUser(&d.a.fallbackTransp, m.user); ok {
		m.rcpt.Offset = -1
		return d.pass(m, t)
	} else if err != nil {
		return d.tableFailure(m)
	}
	if t := d.a.cfg.fallbackTransp; t != "" {
		m.rcpt.Offset = -1
		return d.pass(m, t)
	}
	if relay := d.a.cfg.lusertRelay; relay != "" {
		m.unmatched = ""
		exp, _, _ := d.localExpand(relay, m, u, "")
		canon, err := d.a.rewrite.Rewrite("local", exp)
		if err == nil && strings.EqualFold(canon, m.rcpt.Address) {
			m.simple("5.1.1", "unknown user: \"%s\"", m.user)
			return d.bounce(m)
		}
		return d.resolveAddr(m, u, exp)
	}
	if strings.EqualFold(m.user, "MAILER-DAEMON") || strings.EqualFold(m.user, "postmaster") {
		d.a.s.Log.Warnf("required alias not found: %s", m.user)
		m.simple("2.0.0", "discarded")
		return d.sent(m)
	}
	m.simple("5.1.1", "unknown user: \"%s\"", m.user)
	return d.bounce(m)
}

// bounceWorkaround reports a failure; when the address has an owner-
// alias the notice goes there at once, to that owner (bounce_workaround).
func (d *delivery) bounceWorkaround(m msgAttr) int {
	owner := ""
	if d.a.cfg.ownreqSpecial {
		find := func(addr string) (string, string, error) {
			lhs := "owner-" + addr
			if i := strings.LastIndexByte(lhs, '@'); i >= 0 {
				lhs = lhs[:i]
			}
			v, _, err := d.a.aliasMap.Find(lhs, false)
			return lhs, v, err
		}
		lhs, rhs, err := find(m.rcpt.Address)
		if err == nil && rhs == "" {
			if bare, _, ok := d.a.addrEnv.StripExt(m.rcpt.Address); ok {
				lhs, rhs, err = find(bare)
			}
		}
		if err != nil {
			m.simple("4.3.0", "alias database unavailable")
			return d.deferRcpt(m)
		}
		if rhs != "" {
			if d.a.cfg.expandOwner {
				lhs = rhs
			}
			owner = d.canonInternal(lhs)
			m.sender, m.owner = owner, owner
		}
	}
	if owner != "" && !strings.HasPrefix(m.why.Status, "4") {
		msg := bounce.Message{Queue: d.req.QueueName, ID: d.req.QueueID, Encoding: d.req.Encoding,
			SMTPUTF8: d.req.SMTPUTF8, Sender: m.sender, EnvID: m.envID, Ret: m.ret}
		return d.a.status.BounceOne(d.flags(), msg, d.req.Stats, m.rcpt, m.relay, m.why)
	}
	return d.bounceOrDefer(m)
}

// canonInternal rewrites an internal-form address to canonical form in
// the local context (canon_addr_internal).
func (d *delivery) canonInternal(addr string) string {
	ext := tok822.QuoteLocal(addr, tok822.QuoteDefault)
	out, err := d.a.rewrite.Rewrite("local", ext)
	if err != nil {
		d.a.s.Log.Fatalf("%v", err)
	}
	return tok822.UnquoteLocal(out)
}

// deliveredHeaders collects the Delivered-To: addresses of the primary
// header block, case-folded (delivered_hdr_init).
func (a *agent) deliveredHeaders(f *os.File, offset int64) *delivered.Set {
	set, err := delivered.Read(f, offset, strings.ToLower)
	if err != nil {
		a.s.Log.Fatalf("%v", err)
	}
	return set
}

var _ = deliver.FlagSuccess

package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/dict"
)

// alias expands name through alias_maps (deliver_alias); ok is false
// when no table has it.
func (d *delivery) alias(m msgAttr, u userAttr, name string) (int, bool) {
	m.level++
	if m.expFrom != "" && strings.EqualFold(m.expFrom, name) {
		return 0, false
	}
	if m.level > 100 {
		d.a.s.Log.Warnf("alias database loop for %s", name)
		m.simple("5.4.6", "alias database loop for %s", name)
		return d.bounce(m), true
	}
	m.expFrom = name
	for _, table := range d.a.aliases {
		value, found, err := table.Lookup(name)
		if err != nil {
			d.a.s.Log.Warnf("%s:%s: lookup of '%s' failed", table.Type(), table.Name(), name)
			m.simple("4.3.0", "alias database unavailable")
			return d.deferRcpt(m), true
		}
		if !found {
			continue
		}
		if d.req.Flags&deliver.FlagMTAVrfy != 0 {
			m.simple("2.0.0", "aliased to %s", value)
			return d.sent(m), true
		}
		m.expType = expAlias
		switch o := table.Common().Owner(); o.Status {
		case dict.OwnerTrusted:
			u = userAttr{}
		case dict.OwnerUnknown:
			d.a.s.Log.Warnf("deliver_alias: no owner UID for alias database %s:%s", table.Type(), table.Name())
			m.simple("4.3.0", "mail system configuration error")
			return d.deferRcpt(m), true
		default:
			pw, err := lookupUID(int(o.UID))
			if err != nil || pw == nil {
				if err != nil {
					d.a.s.Log.Warnf("cannot find alias database owner for %s:%s: %s", table.Type(), table.Name(), dict.ErrnoText(err))
				} else {
					d.a.s.Log.Warnf("cannot find alias database owner for %s:%s", table.Type(), table.Name())
				}
				m.simple("4.3.0", "cannot find alias database owner")
				return d.deferRcpt(m), true
			}
			u = *pw
		}
		// Who hears about delivery problems: the owner- alias, if any.
		canonOwner := ""
		var ownerErr error
		if d.a.cfg.ownreqSpecial {
			ownerName := "owner-" + name
			rhs, ok, err := d.a.aliasMap.Find(ownerName, false)
			ownerErr = err
			if ok && err == nil {
				if d.a.cfg.expandOwner {
					ownerName = rhs
				}
				canonOwner = d.canonInternal(ownerName)
				m.sender, m.owner = canonOwner, canonOwner
			}
		}
		if canonOwner == "" && d.a.cfg.resetOwner {
			m.owner = ""
		}
		if !d.a.cfg.frozenDelivered {
			m.delivered = m.rcpt.Address
		}
		if ownerErr != nil {
			m.simple("4.3.0", "alias database unavailable")
			return d.deferRcpt(m), true
		}
		// Mailing lists (owner- present) do not pass on the original
		// DSN parameters; plain aliases pass them on without SUCCESS.
		notify := m.rcpt.DSNNotify
		m.rcpt.DSNNotify = withoutSuccess(notify)
		envID, ret, orcpt := m.envID, m.ret, m.rcpt.DSNOrcpt
		if canonOwner != "" {
			m.envID, m.ret, m.rcpt.DSNOrcpt, m.rcpt.OrigAddr = "", 0, "", ""
		}
		count := 0
		st := d.tokenString(m, u, value, &count)
		if count < 1 {
			d.a.s.Log.Warnf("no recipient in alias lookup result for %s", name)
			m.simple("4.3.0", "alias database unavailable")
			st = d.deferRcpt(m)
		} else if notify&deliver.NotifySuccess != 0 {
			m.rcpt.DSNNotify = notify
			if canonOwner != "" {
				m.envID, m.ret, m.rcpt.DSNOrcpt = envID, ret, orcpt
			}
			action := "expanded"
			if canonOwner != "" {
				action = "delivered"
			}
			m.why = dsn.DSN{Status: "2.0.0", Action: action, Reason: "alias expanded"}
			d.trace(m)
		}
		return st, true
	}
	return 0, false
}

// withoutSuccess drops SUCCESS from a NOTIFY mask; SUCCESS alone becomes
// NEVER.
func withoutSuccess(n int) int {
	if n == deliver.NotifySuccess {
		return deliver.NotifyNever
	}
	return n &^ deliver.NotifySuccess
}

// tokenString delivers to each address of a list (deliver_token_string).
func (d *delivery) tokenString(m msgAttr, u userAttr, s string, count *int) int {
	st := 0
	for t := tok822.Parse(s); t != nil; t = t.Next {
		if t.Type == tok822.Addr {
			if count != nil {
				*count++
			}
			st |= d.token(m, u, t)
		}
	}
	return st
}

// tokenStream delivers to the addresses of a .forward or :include: file,
// line by line, stopping at the first failure (deliver_token_stream).
func (d *delivery) tokenStream(m msgAttr, u userAttr, f *os.File, count *int) int {
	st := 0
	sc := bufio.NewReader(f)
	for {
		line, err := sc.ReadString('\n')
		if line != "" && line[0] != '#' {
			if st = d.tokenString(m, u, strings.TrimSuffix(line, "\n"), count); st != 0 {
				break
			}
		}
		if err != nil {
			break
		}
	}
	return st
}

// token delivers to one list element (deliver_token).
func (d *delivery) token(m msgAttr, u userAttr, addr *tok822.Token) int {
	s := tok822.Internalize(addr.Head, tok822.Flags(0))
	switch {
	case strings.HasPrefix(s, "/"):
		return d.file(m, u, s)
	case strings.HasPrefix(s, "~"):
		return d.tokenHome(m, u, s)
	case strings.HasPrefix(s, "|"):
		if d.a.cfg.cmdMask&m.expType == 0 {
			m.simple("5.7.1", "mail to command is restricted")
			return d.bounce(m)
		}
		return d.command(m, u, s[1:])
	case len(s) >= 9 && strings.EqualFold(s[:9], ":include:"):
		return d.include(m, u, s[9:])
	}
	return d.resolveTree(m, u, addr)
}

// tokenHome delivers to ~/path (deliver_token_home).
func (d *delivery) tokenHome(m msgAttr, u userAttr, addr string) int {
	switch {
	case len(addr) < 2 || addr[1] != '/':
		d.a.s.Log.Warnf("bad home directory syntax for: %s", addr)
	case !u.known:
		d.a.s.Log.Warnf("unknown home directory for: %s", addr)
	case u.home == "/":
		return d.file(m, u, addr[1:])
	default:
		return d.file(m, u, u.home+addr[1:])
	}
	m.simple("5.3.5", "mail system configuration error")
	return d.bounce(m)
}

// include delivers to the addresses of an :include: file, with the
// rights of its owner when the expansion ran as root (deliver_include).
func (d *delivery) include(m msgAttr, u userAttr, path string) int {
	m.level++
	if d.dup.seen(fmt.Sprintf("include %d %s", u.uid, path)) {
		return 0
	}
	m.expFrom = m.local
	fail := func(format string, args ...any) int {
		d.a.s.Log.Warnf(format, args...)
		m.simple("5.3.5", "mail system configuration error")
		return d.bounce(m)
	}
	if !strings.HasPrefix(path, "/") {
		return fail(":include:%s uses a relative path", path)
	}
	st, err := d.a.statFileAs(path, u.uid, u.gid)
	if err != nil {
		return fail("unable to lookup :include: file %s: %s", path, dict.ErrnoText(err))
	}
	if !st.Mode().IsRegular() {
		return fail(":include: file %s is not a regular file", path)
	}
	if st.Mode().Perm()&0002 != 0 {
		return fail(":include: file %s is world writable", path)
	}
	m.expType = expIncl
	if u.uid == 0 {
		owner := fileOwner(st)
		pw, err := lookupUID(owner)
		if err != nil || pw == nil {
			if err != nil {
				d.a.s.Log.Warnf("cannot find username for uid %d: %s", owner, dict.ErrnoText(err))
			} else {
				d.a.s.Log.Warnf("cannot find username for uid %d", owner)
			}
			d.a.s.Log.Warnf("%s: cannot find :include: file owner username", path)
			m.simple("4.3.5", "mail system configuration error")
			return d.deferRcpt(m)
		}
		if pw.uid != 0 {
			u = *pw
		}
	}
	if m.owner == "" {
		m.owner = m.rcpt.Address
	}
	f, err := d.a.openAs(path, u.uid, u.gid)
	if err != nil {
		return fail("cannot open include file %s: %s", path, dict.ErrnoText(err))
	}
	defer f.Close()
	if d.a.cfg.extPropMask&extPropInclude == 0 {
		m.unmatched = ""
	}
	return d.tokenStream(m, u, f, nil)
}

// resolveAddr resolves an external-form address (deliver_resolve_addr).
func (d *delivery) resolveAddr(m msgAttr, u userAttr, addr string) int {
	return d.resolveTree(m, u, tok822.ScanAddr(addr))
}

// resolveTree canonicalises and resolves an address as cleanup and qmgr
// would; local results are delivered here, the rest forwarded
// (deliver_resolve_tree).
func (d *delivery) resolveTree(m msgAttr, u userAttr, addr *tok822.Token) int {
	m.level++
	var rerr error
	tok822.Rewrite(addr, func(ext string) string {
		out, err := d.a.rewrite.Rewrite(rewrite.ContextLocal, ext)
		if err != nil {
			rerr = err
			return ext
		}
		return out
	})
	var reply rewrite.Reply
	if rerr == nil {
		internal := tok822.Internalize(addr.Head, tok822.Flags(0))
		reply, rerr = d.a.rewrite.Resolve("", internal)
	}
	switch {
	case rerr != nil || reply.Flags&rewrite.FlagFail != 0:
		m.simple("4.3.0", "address resolver failure")
		return d.deferRcpt(m)
	case reply.Flags&rewrite.FlagError != 0:
		m.simple("5.1.3", "bad recipient address syntax: %s", reply.Recipient)
		return d.bounce(m)
	}
	rcpt := reply.Recipient
	if m.unmatched != "" {
		delim := byte(0)
		if len(m.local) > len(m.user) {
			delim = m.local[len(m.user)]
		}
		if i := strings.LastIndexByte(rcpt, '@'); i < 0 {
			rcpt += string(delim) + m.unmatched
		} else {
			rcpt = rcpt[:i] + string(delim) + m.unmatched + rcpt[i:]
		}
	}
	m.rcpt.Address = rcpt
	if m.relay == reply.Transport {
		return d.recipient(m, u)
	}
	return d.indirect(m)
}

// indirect forwards the address in a new message (deliver_indirect).
func (d *delivery) indirect(m msgAttr) int {
	if d.dup.seen("indirect " + m.rcpt.Address) {
		return 0
	}
	if d.traceOnly() {
		m.simple("2.0.0", "forwards to %s", m.rcpt.Address)
		return d.sent(m)
	}
	if err := d.fwd.add(m); err != nil {
		m.simple("4.3.0", "unable to forward message")
		return d.deferRcpt(m)
	}
	return 0
}

package main

import (
	"strconv"
	"strings"

	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/tok822"
)

// DSN NOTIFY bits (dsn_mask.h).
const (
	dsnNotifyNever   = 1 << 0
	dsnNotifySuccess = 1 << 1
	dsnNotifyFailure = 1 << 2
	dsnNotifyDelay   = 1 << 3
)

func itoa(n int) string { return strconv.Itoa(n) }

// maxRecursion bounds one-to-one map chains (cleanup_map11.c).
const maxRecursion = 10

// addrMap looks up an external-form address and returns the result list
// in external form, with the unmatched extension propagated when asked
// (mail_addr_map).
func (st *state) addrMap(m *maps.Maps, ext string, propagate bool) ([]string, bool, error) {
	internal := tok822.UnquoteLocal(ext)
	res, err := m.MailAddrFind(st.cfg.addrEnv, internal, maps.FindDefault)
	if err != nil || !res.Found {
		return nil, false, err
	}
	value := res.Value
	if strings.HasPrefix(value, "@") {
		if at := strings.LastIndexByte(ext, '@'); at >= 0 {
			value = ext[:at] + value
		}
	}
	var out []string
	if value == "" || value == "<>" {
		value = `""`
	}
	tree := tok822.Parse(value)
	for _, a := range tok822.Grep(tree, tok822.Addr) {
		addr := tok822.UnquoteLocal(st.rewriteExternal("local", tok822.Externalize(a.Head, 0, nil)))
		if propagate && res.Ext != "" {
			if at := strings.LastIndexByte(addr, '@'); at >= 0 {
				addr = addr[:at] + res.Ext + addr[at:]
			} else {
				addr += res.Ext
			}
		}
		out = append(out, tok822.QuoteLocal(addr, tok822.QuoteDefault))
	}
	if len(out) == 0 {
		return nil, false, nil
	}
	return out, true, nil
}

// map11External applies a one-to-one map repeatedly to an external-form
// address (cleanup_map11_external).
func (st *state) map11External(addr string, m *maps.Maps, propagate bool) (string, bool) {
	did := false
	for count := 0; count < maxRecursion; count++ {
		list, found, err := st.addrMap(m, addr, propagate)
		if err != nil {
			st.cfg.log.Warnf("%s: %s map lookup problem for %s -- message not accepted, try again later",
				st.queueID, m.Title, addr)
			st.errs |= statWrite
			return addr, did
		}
		if !found {
			return addr, did
		}
		if len(list) > 1 {
			st.cfg.log.Warnf("%s: multi-valued %s entry for %s", st.queueID, m.Title, addr)
		}
		saved := addr
		did = did || list[0] != addr
		addr = list[0]
		if strings.EqualFold(saved, addr) {
			return addr, did
		}
	}
	st.cfg.log.Warnf("%s: unreasonable %s map nesting for %s -- message not accepted, try again later",
		st.queueID, m.Title, addr)
	return addr, did
}

// map11Internal is map11External for an internal-form address.
func (st *state) map11Internal(addr string, m *maps.Maps, propagate bool) string {
	out, _ := st.map11External(tok822.QuoteLocal(addr, tok822.QuoteDefault), m, propagate)
	return tok822.UnquoteLocal(out)
}

// masquerade strips subdomains per masquerade_domains
// (cleanup_masquerade_external); addr is in either form (only the domain
// is touched).
func (st *state) masquerade(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return addr
	}
	if len(st.cfg.masqExceptions) > 0 && st.cfg.masqExceptions[strings.ToLower(addr[:at])] {
		return addr
	}
	domain := strings.ToLower(addr[at+1:])
	for _, masq := range st.cfg.masqDomains {
		truncate := true
		for strings.HasPrefix(masq, "!") {
			truncate = !truncate
			masq = masq[1:]
		}
		if masq == "" {
			continue
		}
		if len(masq) == len(domain) {
			if masq == domain {
				break
			}
		} else if len(masq) < len(domain) {
			parent := domain[len(domain)-len(masq):]
			if domain[len(domain)-len(masq)-1] == '.' && parent == masq {
				if truncate {
					return addr[:at+1] + masq
				}
				break
			}
		}
	}
	return addr
}

// map1n expands a recipient through virtual_alias_maps
// (cleanup_map1n_internal): each list element is replaced by the first
// address of its expansion and the others are appended, repeating until
// an element maps to nothing or to itself, within the expansion,
// recursion and length limits.
func (st *state) map1n(addr string) []string {
	c := st.cfg
	m := c.virtAlias
	propagate := c.extProp&propVirtual != 0
	list := []string{addr}
	selfRef := map[string]bool{}
	for i := 0; i < len(list); i++ {
		if len(list) > c.virtExpLimit {
			c.log.Warnf("%s: unreasonable %s map expansion size for %s -- message not accepted, try again later",
				st.queueID, m.Title, addr)
			return st.map1nFail(addr, statDefer)
		}
		for count := 0; ; count++ {
			if selfRef[strings.ToLower(list[i])] {
				break
			}
			if count >= c.virtRecLimit {
				c.log.Warnf("%s: unreasonable %s map nesting for %s -- message not accepted, try again later",
					st.queueID, m.Title, addr)
				return st.map1nFail(addr, statDefer)
			}
			res, found, err := st.addrMap(m, tok822.QuoteLocal(list[i], tok822.QuoteDefault), propagate)
			if err != nil {
				c.log.Warnf("%s: %s map lookup problem for %s -- message not accepted, try again later",
					st.queueID, m.Title, addr)
				return st.map1nFail(addr, statWrite)
			}
			if !found {
				break
			}
			lhs := list[i]
			for j, r := range res {
				r = tok822.UnquoteLocal(r)
				if len(r) > c.virtAddrLenLimit {
					c.log.Warnf("%s: unreasonable %s result %.300s... -- message not accepted, try again later",
						st.queueID, m.Title, r)
					return st.map1nFail(addr, statDefer)
				}
				if j == 0 {
					list[i] = r
				} else {
					list = append(list, r)
				}
				if strings.EqualFold(lhs, r) {
					selfRef[strings.ToLower(lhs)] = true
				}
			}
		}
	}
	return list
}

func (st *state) map1nFail(addr string, stat int) []string {
	st.errs |= stat
	st.reason = "4.6.0 Alias expansion error"
	return []string{addr}
}

package maps

import (
	"strings"

	"gopostfix/libglobal/tok822"
)

// Strategy selects the keys MailAddrFind tries (mail_addr_find.h MA_FIND_*).
type Strategy int

const (
	FindFull             Strategy = 1 << 0 // localpart+ext@domain
	FindNoExt            Strategy = 1 << 1 // localpart@domain
	FindLocalpartIfLocal Strategy = 1 << 2 // localpart+ext, localpart (local domains)
	FindLocalpartAtLocal Strategy = 1 << 3 // the same with a trailing @
	FindAtDomain         Strategy = 1 << 4 // @domain
	FindDomain           Strategy = 1 << 5 // domain
	FindPDMS             Strategy = 1 << 6 // then parents: example.com
	FindPDDMDS           Strategy = 1 << 7 // then parents: .example.com
	FindLocalpartAt      Strategy = 1 << 8 // localpart+ext@, localpart@
	// FindDefault is the strategy of virtual_alias_maps, canonical_maps,
	// the bcc maps, relocated_maps and most other address tables.
	FindDefault = FindFull | FindNoExt | FindLocalpartIfLocal | FindAtDomain
)

// AddrEnv holds the configuration address lookups depend on.
type AddrEnv struct {
	Delim         string // recipient_delimiter
	MyOrigin      string // myorigin
	DoubleBounce  string // double_bounce_sender
	OwnReqSpecial bool   // owner_request_special
	// IsLocal is resolve_local: whether a domain is one of ours.
	IsLocal func(domain string) (bool, error)
}

// SplitExt splits the address extension off a local part (split_addr):
// it returns the local part without extension and the extension without
// its delimiter, or ok false when the local part must not be split.
func (e *AddrEnv) SplitExt(local string) (bare, ext string, ok bool) {
	if e.Delim == "" {
		return "", "", false
	}
	switch {
	case strings.EqualFold(local, "postmaster"), strings.EqualFold(local, "MAILER-DAEMON"),
		strings.EqualFold(local, e.DoubleBounce):
		return "", "", false
	}
	if strings.Contains(e.Delim, "-") && e.OwnReqSpecial {
		if len(local) >= 6 && strings.EqualFold(local[:6], "owner-") {
			return "", "", false
		}
		if len(local) > 8 && strings.EqualFold(local[len(local)-8:], "-request") {
			return "", "", false
		}
	}
	n := strings.IndexAny(local, e.Delim)
	if n <= 0 {
		return "", "", false
	}
	return local[:n], local[n+1:], true
}

// StripExt removes the extension from an internal-form address
// (strip_addr_internal); ext keeps its delimiter. ok is false when there
// is nothing to strip.
func (e *AddrEnv) StripExt(addr string) (bare, ext string, ok bool) {
	if e.Delim == "" || !strings.ContainsAny(addr, e.Delim) {
		return "", "", false
	}
	local, domain, hasAt := addr, "", false
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		local, domain, hasAt = addr[:i], addr[i:], true
	}
	b, _, split := e.SplitExt(local)
	if !split {
		return "", "", false
	}
	ext = local[len(b):]
	if hasAt {
		return b + domain, ext, true
	}
	return b, ext, true
}

// AddrResult is the outcome of MailAddrFind.
type AddrResult struct {
	Value string
	Found bool
	// Ext is the extension (with its delimiter) of the address when the
	// match was made without it, for propagate_unmatched_extensions.
	Ext string
}

// MailAddrFind looks up an internal-form address in Postfix's order
// (mail_addr_find with the legacy query forms: the quoted external form
// first, then the internal form if it differs; the result is in external
// form, as the tables hold it).
func (m *Maps) MailAddrFind(env *AddrEnv, addr string, strategy Strategy) (AddrResult, error) {
	var res AddrResult
	bare, savedExt, hasBare := "", "", false
	if strategy&FindNoExt != 0 {
		bare, savedExt, hasBare = env.StripExt(addr)
	}
	var v string
	var ok bool
	var err error
	if strategy&FindFull != 0 {
		v, ok, err = m.findAddr(addr, false, true)
	}
	if !ok && err == nil && hasBare {
		if v, ok, err = m.findAddr(bare, true, true); ok {
			res.Ext = savedExt
		}
	}
	at := strings.LastIndexByte(addr, '@')
	if !ok && err == nil && at >= 0 && strategy&(FindLocalpartIfLocal|FindLocalpartAtLocal) != 0 {
		domain := addr[at+1:]
		local := strings.EqualFold(domain, env.MyOrigin)
		if !local && env.IsLocal != nil {
			local, err = env.IsLocal(domain)
		}
		if local && err == nil {
			if strategy&FindLocalpartIfLocal != 0 {
				v, ok, res.Ext, err = m.findLocal(addr, bare, hasBare, savedExt, false)
			}
			if !ok && err == nil && strategy&FindLocalpartAtLocal != 0 {
				v, ok, res.Ext, err = m.findLocal(addr, bare, hasBare, savedExt, true)
			}
		}
	}
	if !ok && err == nil && at >= 0 && strategy&FindAtDomain != 0 {
		v, ok, err = m.Find(addr[at:], true)
	}
	if !ok && err == nil && at >= 0 && strategy&FindDomain != 0 {
		name := addr[at+1:]
		for name != "" {
			if v, ok, err = m.Find(name, true); ok || err != nil || strategy&(FindPDMS|FindPDDMDS) == 0 {
				break
			}
			next := strings.IndexByte(name[1:], '.')
			if next < 0 {
				break
			}
			name = name[1+next:]
			if strategy&FindPDDMDS == 0 {
				name = name[1:]
			}
		}
	}
	if !ok && err == nil && strategy&FindLocalpartAt != 0 && at >= 0 {
		v, ok, res.Ext, err = m.findLocal(addr, bare, hasBare, savedExt, true)
	}
	if err != nil {
		return AddrResult{}, err
	}
	res.Value, res.Found = v, ok
	if !ok {
		res.Ext = ""
	}
	m.log.Debugf("mail_addr_find: %s -> %s", addr, map[bool]string{true: v, false: "(not found)"}[ok])
	return res, nil
}

// findLocal looks up the local part (withAt: followed by '@') of the full
// address, then of the address without extension.
func (m *Maps) findLocal(full, bare string, hasBare bool, savedExt string, withAt bool) (string, bool, string, error) {
	cut := func(a string) string {
		i := strings.LastIndexByte(a, '@')
		if withAt {
			return a[:i+1]
		}
		return a[:i]
	}
	v, ok, err := m.findAddr(cut(full), true, withAt)
	if ok || err != nil || !hasBare {
		return v, ok, "", err
	}
	v, ok, err = m.findAddr(cut(bare), true, withAt)
	if ok {
		return v, true, savedExt, nil
	}
	return "", false, "", err
}

// findAddr queries the quoted form of addr, then addr itself when the two
// differ (MA_FORM_EXTERNAL_FIRST).
func (m *Maps) findAddr(addr string, partial, withDomain bool) (string, bool, error) {
	flags := tok822.QuoteDefault
	if !withDomain {
		flags |= tok822.QuoteBareLocalpart
	}
	ext := tok822.QuoteLocal(addr, flags)
	v, ok, err := m.Find(ext, partial)
	if ok || err != nil || ext == addr {
		return v, ok, err
	}
	return m.Find(addr, partial)
}

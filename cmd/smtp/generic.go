package main

import (
	"strings"
	"time"

	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/dict"
)

// genericMapper is smtp_generic_maps with the address rewriting of
// smtp_map11.c: one lookup per address in mail_addr_find order
// (user+ext@domain, user@domain, user+ext and user for local domains,
// @domain), "@domain" results keeping the original local part, results
// made canonical by the rewrite service, and the unmatched extension
// propagated when propagate_unmatched_extensions names "generic".
type genericMapper struct {
	a         *agent
	maps      *maps.Maps
	env       *maps.AddrEnv
	rw        *rewrite.Client
	propagate bool
}

// newGenericMapper opens smtp_generic_maps (nil when it is empty).
func newGenericMapper(a *agent) (*genericMapper, error) {
	v := p(a, "smtp_generic_maps")
	if v == "" {
		return nil, nil
	}
	m, err := maps.Open(a.reg, a.par.name("smtp_generic_maps"), v, dict.FlagLock|dict.FlagFoldFix|dict.FlagUTF8Request, a.log)
	if err != nil {
		return nil, err
	}
	s := a.s
	dest, err := maps.NewMatchList(a.reg, "mydestination", s.Str("mydestination"), maps.StringList, false, a.log)
	if err != nil {
		return nil, err
	}
	local := &maps.Local{Dest: dest, Addrs: a.ownAddrs}
	g := &genericMapper{a: a, maps: m, rw: rewrite.NewClient(".", s.Str("rewrite_service_name"), a.log),
		env: &maps.AddrEnv{Delim: s.Str("recipient_delimiter"), MyOrigin: s.Str("myorigin"),
			DoubleBounce: s.Str("double_bounce_sender"), OwnReqSpecial: s.Bool("owner_request_special"),
			IsLocal: local.Match}}
	for _, w := range splitWords(s.Str("propagate_unmatched_extensions")) {
		if strings.EqualFold(w, "generic") {
			g.propagate = true
		}
	}
	return g, nil
}

// mapInternal rewrites one internal-form address (smtp_map11_internal);
// found reports a table match. A table that cannot be searched is
// fatal, as in Postfix.
func (g *genericMapper) mapInternal(addr string) (string, bool) {
	list, found, err := g.addrMap(addr)
	if err != nil || (found && len(list) == 0) {
		g.a.fatal("%s map lookup problem for %s", g.maps.Title, addr)
	}
	if !found {
		return addr, false
	}
	if len(list) > 1 {
		g.a.log.Warnf("multi-valued %s result for %s", g.maps.Title, addr)
	}
	return list[0], true
}

// addrMap is mail_addr_map_internal: the lookup, then each address of
// the result made canonical (internal form).
func (g *genericMapper) addrMap(addr string) ([]string, bool, error) {
	res, err := g.maps.MailAddrFind(g.env, addr, maps.FindDefault)
	if err != nil || !res.Found {
		return nil, false, err
	}
	value := res.Value
	if strings.HasPrefix(value, "@") {
		user := addr
		if at := strings.LastIndexByte(addr, '@'); at >= 0 {
			user = addr[:at]
		}
		user = user[:len(user)-min(len(res.Ext), len(user))]
		value = tok822.QuoteLocal(user+value, tok822.QuoteDefault)
	}
	if value == "" || value == "<>" {
		value = `""`
	}
	var out []string
	for _, t := range tok822.Grep(tok822.Parse(value), tok822.Addr) {
		canon := tok822.UnquoteLocal(g.canonical(tok822.Externalize(t.Head, 0, nil)))
		if g.propagate && res.Ext != "" {
			if at := strings.LastIndexByte(canon, '@'); at >= 0 {
				canon = canon[:at] + res.Ext + canon[at:]
			} else {
				canon += res.Ext
			}
		}
		out = append(out, canon)
	}
	if len(out) == 0 {
		g.a.log.Warnf("%s lookup of %s returns non-address result \"%s\"", g.maps.Title, addr, value)
	}
	return out, true, nil
}

// canonical is canon_addr_external: the rewrite service's "local"
// context, retried until it answers as rewrite_clnt does.
func (g *genericMapper) canonical(addr string) string {
	for try := 0; ; try++ {
		out, err := g.rw.Rewrite(rewrite.ContextLocal, addr)
		if err == nil {
			return out
		}
		if try >= 10 {
			g.a.fatal("problem talking to service rewrite: %v", err)
		}
		g.a.log.Warnf("problem talking to service rewrite: %v", err)
		time.Sleep(10 * time.Second)
	}
}

// envelope rewrites a non-empty envelope address
// (smtp_rewrite_generic_internal).
func (g *genericMapper) envelope(addr string) string {
	if g == nil || addr == "" {
		return addr
	}
	out, _ := g.mapInternal(addr)
	return out
}

// header rewrites the addresses of a primary sender or recipient
// header; ok is false when no address was found in the table, and the
// header goes out unchanged. The result has one line per address and
// is folded by the caller.
func (g *genericMapper) header(opts *headers.Opts, h string) (string, bool) {
	n := min(len(opts.Name), len(h))
	tree := tok822.Parse(h[min(n+1, len(h)):])
	did := false
	for _, a := range tok822.Grep(tree, tok822.Addr) {
		internal := tok822.Internalize(a.Head, 0)
		out, found := g.mapInternal(internal)
		did = did || found
		head, tail := tok822.Scan(tok822.QuoteLocal(out, tok822.QuoteDefault))
		tok822.SetMembers(a, head, tail)
	}
	if !did {
		return h, false
	}
	return h[:n] + ": " + tok822.Externalize(tree, tok822.Line|tok822.Truncate, g.a.log), true
}

// foldAddressLines joins the one-address lines of a rewritten header
// into lines shorter than 70 bytes and indents the continuation lines
// with a tab (the folding part of smtp_header_rewrite).
func foldAddressLines(h string) []string {
	lines := strings.Split(h, "\n")
	out := []string{lines[0]}
	for _, l := range lines[1:] {
		if cur := &out[len(out)-1]; len(*cur)+1+len(l) < 70 {
			*cur += " " + l
		} else {
			out = append(out, l)
		}
	}
	for i := 1; i < len(out); i++ {
		if out[i] == "" || (out[i][0] != ' ' && out[i][0] != '\t') {
			out[i] = "\t" + out[i]
		}
	}
	return out
}

package main

import (
	"fmt"
	"strings"

	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/validhost"
)

// resolveContext holds the transports and tables of one resolver flavour
// (RES_CONTEXT): "resolve" uses the regular ones, "verify" the
// address_verify_* overrides.
type resolveContext struct {
	localTransport, virtTransport, relayTransport, defTransport param
	relayhost                                                   param
	sndDefXport, sndRelay                                       *maps.Maps
	transport                                                   *transportTable
}

// param is a main.cf value with its name, for "null transport" warnings.
type param struct{ name, value string }

// result is one resolver answer.
type result struct {
	transport, nexthop, recipient string
	flags                         int
	blame                         string // parameter that chose the transport
}

// resolveAddr resolves an internal-form address (resolve_addr): strip our
// own domains, apply the routing operators that remain, decide the
// address class, then let transport_maps and relocated_maps override.
func (r *rewriter) resolveAddr(rc *resolveContext, sender, addr string) result {
	res := result{transport: "CHANNEL NOT UPDATED", nexthop: "NEXTHOP NOT UPDATED", recipient: "NEXTRCPT NOT UPDATED"}
	tree := tok822.ScanAddr(tok822.QuoteLocal(addr, tok822.QuoteDefault))
	var saved *tok822.Token // the last local domain stripped, '@' first
	var domain *tok822.Token
	fail := func() result { res.flags |= rewrite.FlagFail; return res }

	loopMax := len(addr) + 100
	for count := 0; ; count++ {
		if count > loopMax {
			r.log.Warnf("resolve_addr: <%s>: giving up after %d iterations", addr, count)
			return fail()
		}
		if t := tree.Tail; t != nil && t.Type == '.' && tok822.RFindType(t, '@') != nil &&
			t.Prev.Type != '.' && t.Prev.Type != '@' {
			tok822.SubKeepBefore(tree, t)
		}
		if r.resolveNullDomain && tree.Tail != nil && tree.Tail.Type == '@' {
			tok822.SubKeepBefore(tree, tree.Tail)
		}
		if domain = tok822.RFindType(tree.Tail, '@'); domain != nil {
			if domain.Next != nil {
				local, err := r.local.Match(tok822.Internalize(domain.Next, 0))
				if err != nil {
					r.log.Warnf("%v", err)
					return fail()
				}
				if !local {
					break
				}
			}
			tok822.SubKeepBefore(tree, domain)
			saved, domain = domain, nil
		}
		if tok822.RFindType(tree.Tail, '@') != nil ||
			(r.opts.swapBangpath && tok822.RFindType(tree.Tail, '!') != nil) ||
			(r.opts.percentHack && tok822.RFindType(tree.Tail, '%') != nil) {
			rewriteTree(&r.opts, &r.localCtx, tree)
			continue
		}
		if r.resolveDequoted && tree.Head != nil && tree.Head == tree.Tail && tree.Head.Type == tok822.QString {
			if cracked, ok := r.crackQuoted(tree.Head.Text); ok {
				tree.Head, tree.Tail = tok822.Scan(cracked)
				rewriteTree(&r.opts, &r.localCtx, tree)
				continue
			}
		}
		if tree.Head != nil && tree.Head == tree.Tail && tree.Head.Type == tok822.QString && tree.Head.Text == "" {
			tree.Head, tree.Tail = nil, nil
		}
		if tree.Head == nil {
			tree.Head, tree.Tail = tok822.Scan(r.emptyAddr)
			continue
		}
		if domain == nil && saved == nil {
			tok822.SubAppend(tree, tok822.New('@', ""))
			h, _ := tok822.Scan(r.myhostname)
			tok822.SubAppend(tree, h)
			continue
		}
		domain = nil
		break
	}
	if domain == nil {
		if saved != nil {
			tok822.SubAppend(tree, saved)
		} else {
			tok822.SubAppend(tree, tok822.New('@', ""))
			h, _ := tok822.Scan(r.myhostname)
			tok822.SubAppend(tree, h)
		}
	}
	rcpt := tok822.Internalize(tree, 0)
	at := strings.LastIndexByte(rcpt, '@')
	rcptDomain := rcpt[at+1:]
	switch {
	case strings.HasPrefix(rcptDomain, "["):
		if !validhost.MailhostLiteral(rcptDomain) {
			res.flags |= rewrite.FlagError
		}
	case !validHostname(rcptDomain):
		if r.resolveNumericDomain && validhost.HostAddr(rcptDomain) {
			rcpt = rcpt[:at+1] + "[" + rcptDomain + "]"
			rcptDomain = rcpt[at+1:]
			local, err := r.local.Match(rcptDomain)
			if err != nil {
				r.log.Warnf("%v", err)
				return fail()
			}
			if local {
				domain = nil
			}
		} else {
			res.flags |= rewrite.FlagError
		}
	}
	res.recipient = rcpt
	if res.flags&rewrite.FlagError != 0 {
		res.flags |= rewrite.ClassDefault
		return res
	}
	if i := strings.IndexAny(rcpt, "@!%"); i >= 0 && rcpt[i+1:] != rcptDomain {
		res.flags |= rewrite.FlagRouted
	}
	if !r.classify(rc, &res, sender, rcptDomain, domain != nil) {
		return fail()
	}
	if dest, ok := splitAt(res.transport); ok {
		res.transport = dest[0]
		if dest[1] != "" {
			res.nexthop = dest[1]
		}
	}
	if res.transport == "" {
		r.log.Warnf("file %s/main.cf: parameter %s: null transport is not allowed", r.configDir, res.blame)
		return fail()
	}
	if rc.transport != nil && res.flags&rewrite.ClassAlias == 0 {
		if err := rc.transport.lookup(r.addrEnv, rcpt, rcptDomain, &res.transport, &res.nexthop); err != nil {
			r.log.Warnf("%s lookup failure", rc.transport.maps.Title)
			return fail()
		}
	}
	if !r.relocated.Empty() {
		found, err := r.relocated.MailAddrFind(r.addrEnv, rcpt, maps.FindDefault)
		if err != nil {
			r.log.Warnf("relocated_maps lookup failure")
			return fail()
		}
		if found.Found {
			res.transport = "error"
			res.nexthop = "5.1.6 User has moved to " + found.Value
		}
	}
	if !r.allowMinUser && strings.HasPrefix(rcpt, "-") {
		res.flags |= rewrite.FlagError
	}
	return res
}

// crackQuoted opens a quoted local part that holds routing operators
// (resolve_dequoted_address), returning the text to scan again.
func (r *rewriter) crackQuoted(local string) (string, bool) {
	i := strings.LastIndexByte(local, '@')
	if i < 0 && r.opts.percentHack {
		if i = strings.LastIndexByte(local, '%'); i >= 0 {
			local = local[:i] + "@" + local[i+1:]
		}
	}
	if i < 0 && r.opts.swapBangpath {
		i = strings.LastIndexByte(local, '!')
	}
	if i < 0 {
		return "", false
	}
	text := local
	if local[i] == '@' {
		text = tok822.QuoteLocal(text, tok822.QuoteDefault)
	}
	return text, true
}

// splitAt splits "transport:nexthop" at the first colon.
func splitAt(s string) ([2]string, bool) {
	t, n, ok := strings.Cut(s, ":")
	return [2]string{t, n}, ok
}

// classify picks the address class and its transport and nexthop; it
// returns false after a table lookup failure (logged).
func (r *rewriter) classify(rc *resolveContext, res *result, sender, rcptDomain string, remote bool) bool {
	match := func(l *maps.MatchList) (bool, bool) {
		ok, err := l.Match(rcptDomain)
		if err != nil {
			r.log.Warnf("%v", err)
			r.log.Warnf("%s lookup failure", l.Name)
			return false, false
		}
		return ok, true
	}
	if !remote {
		if r.helpfulWarnings {
			if ok, _ := r.virtAliasDoms.Match(rcptDomain); ok {
				r.log.Warnf("do not list domain %s in BOTH mydestination and virtual_alias_domains", rcptDomain)
			}
			if ok, _ := r.virtMailboxDoms.Match(rcptDomain); ok {
				r.log.Warnf("do not list domain %s in BOTH mydestination and virtual_mailbox_domains", rcptDomain)
			}
		}
		res.transport, res.nexthop, res.blame = rc.localTransport.value, rcptDomain, rc.localTransport.name
		res.flags |= rewrite.ClassLocal
		return true
	}
	if ok, good := match(r.virtAliasDoms); !good {
		return false
	} else if ok {
		if r.helpfulWarnings {
			if ok, _ := r.virtMailboxDoms.Match(rcptDomain); ok {
				r.log.Warnf("do not list domain %s in BOTH virtual_alias_domains and virtual_mailbox_domains", rcptDomain)
			}
			if ok, _ := r.relayDomains.Match(rcptDomain); ok {
				r.log.Warnf("do not list domain %s in BOTH virtual_alias_domains and relay_domains", rcptDomain)
			}
		}
		res.transport = "error"
		res.nexthop = "5.1.1 User unknown"
		if r.showUnknownTable {
			res.nexthop += " in virtual alias table"
		}
		res.flags |= rewrite.ClassAlias
		return true
	}
	if ok, good := match(r.virtMailboxDoms); !good {
		return false
	} else if ok {
		if r.helpfulWarnings {
			if ok, _ := r.relayDomains.Match(rcptDomain); ok {
				r.log.Warnf("do not list domain %s in BOTH virtual_mailbox_domains and relay_domains", rcptDomain)
			}
		}
		res.transport, res.nexthop, res.blame = rc.virtTransport.value, rcptDomain, rc.virtTransport.name
		res.flags |= rewrite.ClassVirtual
		return true
	}
	if ok, good := match(r.relayDomains); !good {
		return false
	} else if ok {
		res.transport, res.blame = rc.relayTransport.value, rc.relayTransport.name
		res.flags |= rewrite.ClassRelay
	} else {
		res.transport, res.blame = rc.defTransport.value, rc.defTransport.name
		if !rc.sndDefXport.Empty() {
			key := sender
			if key == "" {
				key = r.nullDefXportKey
			}
			found, err := rc.sndDefXport.MailAddrFind(r.addrEnv, key, maps.FindDefault)
			if err != nil {
				r.log.Warnf("%s lookup failure", rc.sndDefXport.Title)
				return false
			}
			if found.Found {
				res.blame = rc.sndDefXport.Title
				if !strings.EqualFold(found.Value, "DUNNO") {
					res.transport = found.Value
				}
			}
		}
		res.flags |= rewrite.ClassDefault
	}
	relay := ""
	if !rc.sndRelay.Empty() {
		key := sender
		if key == "" {
			key = r.nullRelayKey
		}
		found, err := rc.sndRelay.MailAddrFind(r.addrEnv, key, maps.FindDefault)
		if err != nil {
			r.log.Warnf("%s lookup failure", rc.sndRelay.Title)
			return false
		}
		if found.Found && !strings.EqualFold(found.Value, "DUNNO") {
			relay = found.Value
		}
	}
	switch {
	case relay != "":
		res.nexthop = relay
	case rc.relayhost.value != "":
		res.nexthop = rc.relayhost.value
	default:
		res.nexthop = rcptDomain
	}
	return true
}

// String renders a result for verbose logging.
func (res result) String() string {
	return fmt.Sprintf("(`%s' `%s' `%s' `%d')", res.transport, res.nexthop, res.recipient, res.flags)
}

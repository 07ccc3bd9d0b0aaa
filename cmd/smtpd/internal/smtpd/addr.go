package smtpd

import (
	"strings"

	"gopostfix/libglobal/tok822"
)

// extractAddr converts a MAIL/RCPT/VRFY address argument to internal form
// (smtpd.c extract_addr): strip <>, drop a source route, parse with the RFC
// 822 parser and insist on at most one address (and, with
// strict_rfc821_envelopes, on nothing else). ok is false after logging the
// illegal syntax warning.
func (ss *Session) extractAddr(arg string, allowEmpty, strict bool) (addr string, ok bool) {
	text := arg
	if len(text) >= 2 && text[0] == '<' && text[len(text)-1] == '>' {
		text = text[1 : len(text)-1]
	}
	if strings.HasPrefix(text, "@") {
		if i := strings.IndexByte(text, ':'); i >= 0 {
			text = text[i+1:]
		}
	}
	tree := tok822.Parse(text)
	var found *tok822.Token
	naddr, nonAddr := 0, 0
	for t := tree; t != nil; t = t.Next {
		switch t.Type {
		case tok822.Addr:
			found = t
			naddr++
		case '<', '>':
		default:
			nonAddr++
		}
	}
	bad := naddr > 1 || (strict && (nonAddr > 0 || !strings.HasPrefix(arg, "<")))
	if found != nil {
		addr = tok822.Internalize(found.Head, 0)
	}
	if !bad && ((addr == "" && !allowEmpty) || (strict && strings.HasPrefix(addr, "@")) ||
		(!ss.StandAlone && !ss.checkAddr(addr, ss.flags&flagSMTPUTF8 != 0))) {
		bad = true
	}
	if bad {
		ss.log.Warnf("Illegal address syntax from %s in %s command: %s", ss.namaddr, ss.where, printable(arg))
		return addr, false
	}
	return addr, true
}

// checkAddr rejects addresses the resolver flags as malformed, and
// non-ASCII domains without SMTPUTF8 (smtpd_check_addr).
func (ss *Session) checkAddr(addr string, smtputf8 bool) bool {
	if addr == "" || ss.deps.Resolver == nil {
		return true
	}
	r, err := ss.deps.Resolver.Resolve(ss.sender, addr)
	if err != nil {
		return true
	}
	if r.Flags&ResolveError != 0 {
		return false
	}
	if !smtputf8 {
		if i := strings.LastIndexByte(r.Recipient, '@'); i >= 0 && i+1 < len(r.Recipient) && !isASCII(r.Recipient[i+1:]) {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

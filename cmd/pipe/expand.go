package main

import (
	"strings"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/mac"
)

// Macros that make an argument repeat once per recipient.
const (
	perRcpt = 1 << iota
	perUser
	perExtension
	perMailbox
	perDomain
	perOrigRcpt
)

// macroFlags lists every macro an argument may use (parse_callback).
var macroFlags = map[string]int{
	"nexthop": 0, "recipient": perRcpt, "original_recipient": perOrigRcpt, "sender": 0,
	"user": perUser, "extension": perExtension, "mailbox": perMailbox, "domain": perDomain,
	"size": 0, "client_address": 0, "client_hostname": 0, "client_port": 0, "client_protocol": 0,
	"client_helo": 0, "sasl_method": 0, "sasl_username": 0, "sasl_sender": 0, "queue_id": 0,
}

// expander holds the values of one request's macros.
type expander struct {
	vars    map[string]string
	flags   int // attrs.flags: fold and quote options
	delim   string
	utf8    bool
	warn    func(format string, args ...any)
	env     *maps.AddrEnv
	service string
	confDir string
}

// argv expands the command's arguments for the recipients (expand_argv);
// false after an unknown macro name (already logged).
func (e *expander) argv(command []string, rcpts []deliver.Recipient) ([]string, bool) {
	var out []string
	for _, arg := range command {
		want, ok := e.scan(arg)
		if !ok {
			return nil, false
		}
		if want == 0 {
			out = append(out, e.eval(arg))
			continue
		}
		for _, r := range rcpts {
			if want&perRcpt != 0 {
				e.vars["recipient"] = e.morph(r.Address, e.flags)
			}
			if want&perOrigRcpt != 0 {
				e.vars["original_recipient"] = e.morph(r.OrigAddr, e.flags)
			}
			if want&perUser != 0 {
				local := e.localPart(r.Address)
				if bare, _, ok := e.splitExt(local); ok {
					local = bare
				}
				if local == "" {
					continue
				}
				e.vars["user"] = local
			}
			if want&perExtension != 0 {
				ext := ""
				if _, x, ok := e.splitExt(e.localPart(r.Address)); ok {
					ext = x
				}
				e.vars["extension"] = ext
			}
			if want&perMailbox != 0 {
				e.vars["mailbox"] = e.localPart(r.Address)
			}
			if want&perDomain != 0 {
				m := e.morph(r.Address, e.flags&optFoldAll)
				dom := ""
				if i := strings.LastIndexByte(m, '@'); i >= 0 {
					dom = m[i+1:]
				} else {
					e.warn("no @ in recipient address: %s", r.Address)
				}
				e.vars["domain"] = dom
			}
			out = append(out, e.eval(arg))
		}
	}
	return out, true
}

// scan finds the macros an argument uses; an unknown one is a
// configuration error (parse_callback).
func (e *expander) scan(arg string) (int, bool) {
	want, ok := 0, true
	mac.Parse(arg, func(text string) { e.warn("%s", text); ok = false }, func(kind mac.TokenKind, text string) int {
		if kind != mac.Expr {
			return 0
		}
		f, known := macroFlags[text]
		if !known {
			e.warn("file %s/%s: service %s: unknown macro name: \"%s\"", e.confDir, "master.cf", e.service, text)
			ok = false
			return mac.StatusError
		}
		want |= f
		return 0
	})
	return want, ok
}

// eval expands an argument without recursion (dict_eval).
func (e *expander) eval(arg string) string {
	out, _ := mac.Expand(arg, func(name string) (string, bool) {
		v, ok := e.vars[name]
		return v, ok
	}, mac.Options{})
	return out
}

// localPart is the recipient's local part after the fold options, with
// the "no @" warning (split_at_right).
func (e *expander) localPart(addr string) string {
	m := e.morph(addr, e.flags&optFoldAll)
	i := strings.LastIndexByte(m, '@')
	if i < 0 {
		e.warn("no @ in recipient address: %s", addr)
		return m
	}
	return m[:i]
}

// splitExt splits at the recipient delimiter (split_addr).
func (e *expander) splitExt(local string) (string, string, bool) {
	if e.delim == "" {
		return local, "", false
	}
	return e.env.SplitExt(local)
}

// morph quotes and folds an address as the flags say (morph_recipient).
func (e *expander) morph(addr string, flags int) string {
	if flags&optQuoteLocal != 0 {
		addr = tok822.QuoteLocal(addr, tok822.QuoteDefault)
	}
	return foldAddr(addr, flags&optFoldAll, e.utf8)
}

// foldAddr lowercases the local part (optFoldUser) and/or the domain
// (optFoldHost) of an address (fold_addr); without '@' either option
// folds it all.
func foldAddr(addr string, flags int, utf8 bool) string {
	fold := func(s string) string { f, _ := dict.CaseFold(s, utf8); return f }
	at := strings.LastIndexByte(addr, '@')
	switch {
	case flags == 0:
		return addr
	case flags == optFoldAll || at < 0:
		return fold(addr)
	case flags == optFoldHost:
		return addr[:at+1] + fold(addr[at+1:])
	}
	return fold(addr[:at]) + addr[at:]
}

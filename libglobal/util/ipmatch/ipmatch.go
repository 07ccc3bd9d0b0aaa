// Package ipmatch holds the IPv4 address patterns of Postfix's
// ip_match(3) (src/util/ip_match.c): the reply filters of DNS lists in
// postscreen_dnsbl_sites and in smtpd's reject_rbl_client and friends
// ("zone=127.0.0.[2;4..6]"), with Postfix's parse error texts.
package ipmatch

import (
	"fmt"
	"net/netip"
)

// Filter is a compiled pattern (ip_match_parse's byte codes): four IPv4
// address fields, each a number or a bracketed list of numbers and
// ranges, as in "127.0.0.[2;4..6]". The whole pattern may be bracketed.
type Filter struct {
	fields [4][]octetRange
}

type octetRange struct{ lo, hi int }

// Token kinds of the pattern tokenizer; literal characters stand for
// themselves, end of input is 0.
const (
	tokNumber = 'N'
	tokError  = 256
)

// filterParser walks a pattern the way ip_match_parse does, keeping the
// start of the last token for error messages.
type filterParser struct {
	pattern   string
	pos, prev int
	value     int
}

// next returns the next token: a number (value set; tokError above
// 255), a literal character, or 0 at the end.
func (p *filterParser) next() int {
	p.prev = p.pos
	s := p.pattern
	if p.pos < len(s) && s[p.pos] >= '0' && s[p.pos] <= '9' {
		kind, v := int(tokNumber), 0
		for ; p.pos < len(s) && s[p.pos] >= '0' && s[p.pos] <= '9'; p.pos++ {
			v = v*10 + int(s[p.pos]-'0')
			if v > 255 {
				kind = tokError
			}
		}
		p.value = v
		return kind
	}
	if p.pos == len(s) {
		return 0
	}
	p.pos++
	return int(s[p.pos-1])
}

// errorf formats a parse error with its context: the text before the
// offending token, the token between > and <, and the rest.
func (p *filterParser) errorf(format string, args ...any) error {
	s := p.pattern
	return fmt.Errorf(format+" at \"%s>%s<%s\"", append(args, s[:p.prev], s[p.prev:p.pos], s[p.pos:])...)
}

// Parse compiles a pattern (ip_match_parse); the error text is Postfix's
// ("need \".\" at ...", "numeric range error at ...").
func Parse(pattern string) (*Filter, error) {
	if pattern != "" && pattern[0] == '[' {
		level, end := 0, -1
		for i := 0; i < len(pattern); i++ {
			if pattern[i] == '[' {
				level++
			}
			if pattern[i] == ']' {
				if level--; level == 0 {
					end = i
					break
				}
			}
		}
		if end < 0 {
			return nil, fmt.Errorf("missing \"]\" character")
		}
		if end == len(pattern)-1 {
			pattern = pattern[1:end]
		}
	}
	if pattern == "" {
		return nil, fmt.Errorf("empty address pattern")
	}
	p := &filterParser{pattern: pattern}
	f := &Filter{}
	for field := 0; ; field++ {
		switch p.next() {
		case tokNumber:
			f.fields[field] = []octetRange{{p.value, p.value}}
		case '[':
			rules, err := p.wildcard()
			if err != nil {
				return nil, err
			}
			f.fields[field] = rules
		default:
			return nil, p.errorf("need decimal number 0..255 or \"[\"")
		}
		if field == 3 {
			if p.pos < len(p.pattern) {
				p.next()
				return nil, p.errorf("garbage after pattern")
			}
			return f, nil
		}
		if p.next() != '.' {
			return nil, p.errorf("need \".\"")
		}
	}
}

// wildcard parses the inside of [...] up to and including "]".
func (p *filterParser) wildcard() ([]octetRange, error) {
	var rules []octetRange
	for {
		if p.next() != tokNumber {
			return nil, p.errorf("need decimal number 0..255")
		}
		lo := p.value
		ahead := p.next()
		if ahead == '.' {
			if p.next() != '.' || p.next() != tokNumber || lo > p.value {
				return nil, p.errorf("numeric range error")
			}
			rules = append(rules, octetRange{lo, p.value})
			ahead = p.next()
		} else {
			rules = append(rules, octetRange{lo, lo})
		}
		switch ahead {
		case ';':
			continue
		case ']':
			return rules, nil
		}
		return nil, p.errorf("need \";\" or \"]\"")
	}
}

// Match reports whether an IPv4 address text matches the filter; other
// texts never match.
func (f *Filter) Match(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is4() {
		return false
	}
	b := a.As4()
	for i, rules := range f.fields {
		ok := false
		for _, r := range rules {
			if int(b[i]) >= r.lo && int(b[i]) <= r.hi {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

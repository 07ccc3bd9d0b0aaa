package stdtypes

import (
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/readlline"
)

// The kinds of cidr rule are those of dict.Blocks.
const (
	cidrMatch = dict.BlockNone
	cidrIf    = dict.BlockIf
	cidrEndif = dict.BlockEndif
)

// cidrRule is one rule of a cidr table (CIDR_MATCH): a network with its
// mask, whether it matches or must not match; the table's Blocks pair IF
// rules with their ENDIF.
type cidrRule struct {
	op     dict.BlockKind
	prefix netip.Prefix
	match  bool
	value  string
	line   int
}

// cidrDict is a cidr: table (dict_cidr.c): rules are tried top to bottom
// against the address in the query.
type cidrDict struct {
	dict.Base
	rules  []cidrRule
	blocks dict.Blocks
}

func openCIDR(req dict.OpenRequest) (dict.Dict, error) {
	if err := requireReadOnly(req); err != nil {
		return nil, err
	}
	st, err := dict.OpenStream("cidr", req.Name)
	if err != nil {
		return nil, err
	}
	d, err := readCIDR(req, st)
	cerr := st.Close()
	if err == nil && cerr != nil {
		// A read error ends the rules early; Postfix dies of it when
		// it closes the file, whatever dict_allow_surrogate says.
		return nil, dict.Fatalf("cidr map %s: read error: %s", req.Name, dict.ErrnoText(cerr))
	}
	return d, err
}

// readCIDR reads the rules of a cidr table from st.
func readCIDR(req dict.OpenRequest, st *dict.Stream) (dict.Dict, error) {
	d := &cidrDict{}
	d.Init(req, dict.FlagPattern)
	d.SetOwner(st.Owner)
	log := req.Log()
	rd := readlline.New(st, req.Name, log)
	rd.NoNULWarning = true
	for {
		line, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		r, why := parseCIDRRule(line.Text, d.blocks.Depth())
		if why == "" && req.Flags&dict.FlagSrcRHSIsFile != 0 && r.op == cidrMatch {
			b64, err := dict.FileToBase64(r.value)
			if err != nil {
				why = err.Error()
			} else {
				r.value = b64
			}
		}
		if why != "" {
			log.Warnf("cidr map %s, line %d: %s: skipping this rule", req.Name, line.First, why)
			continue
		}
		r.line = line.First
		if log != nil && log.Verbose > 0 {
			if r.op == cidrEndif {
				// Postfix 3.7 formats the ENDIF rule's empty address
				// too, and inet_ntop(3) fails on it: with -v, a table
				// with ENDIF cannot be opened. Kept as the real one.
				return nil, &dict.Error{Kind: dict.KindFatal, Msg: "inet_ntop: Address family not supported by protocol"}
			}
			log.Infof("dict_cidr_open: add %s/%d %s", r.prefix.Addr(), r.prefix.Bits(), r.value)
		}
		d.blocks.Add(r.op)
		d.rules = append(d.rules, r)
	}
	for _, i := range d.blocks.Unclosed() {
		log.Warnf("cidr map %s, line %d: IF has no matching ENDIF", req.Name, d.rules[i].line)
	}
	return d, nil
}

// hasPrefixFold reports whether s starts with word (ASCII, any case) not
// followed by a letter or digit.
func hasKeyword(s, word string) bool {
	if len(s) < len(word) || !strings.EqualFold(s[:len(word)], word) {
		return false
	}
	if len(s) == len(word) {
		return true
	}
	c := s[len(word)]
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
}

func skipNegations(s string, match bool) (string, bool) {
	for s != "" {
		if s[0] == '!' {
			match = !match
		} else if !isSpaceByte(s[0]) {
			break
		}
		s = s[1:]
	}
	return s, match
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// parseCIDRRule parses one logical line; why is the reason a bad rule is
// skipped, in Postfix's words.
func parseCIDRRule(p string, nesting int) (r cidrRule, why string) {
	switch {
	case hasKeyword(p, "IF"):
		rest, match := skipNegations(p[2:], true)
		if rest == "" {
			return r, "no address pattern"
		}
		pfx, why := parseCIDRPattern(dict.TrimSpace(rest))
		if why != "" {
			return r, why
		}
		return cidrRule{op: cidrIf, prefix: pfx, match: match}, ""
	case hasKeyword(p, "ENDIF"):
		if dict.TrimSpace(p[5:]) != "" {
			return r, "garbage after ENDIF"
		}
		if nesting == 0 {
			return r, "ENDIF without IF"
		}
		return cidrRule{op: cidrEndif}, ""
	}
	rest, match := skipNegations(p, true)
	i := 0
	for i < len(rest) && !isSpaceByte(rest[i]) {
		i++
	}
	pattern := rest[:i]
	value := ""
	if i < len(rest) {
		value = dict.TrimSpace(rest[i+1:])
	}
	if pattern == "" {
		return r, "no address pattern"
	}
	pfx, why := parseCIDRPattern(pattern)
	if why != "" {
		return r, why
	}
	if value == "" {
		return r, "no lookup result"
	}
	return cidrRule{op: cidrMatch, prefix: pfx, match: match, value: value}, ""
}

// parseAddr parses an address the way inet_pton does for the family
// chosen by the presence of ':' (no zones, no IPv4-mapped shortcuts).
func parseAddr(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	if strings.Contains(s, ":") != a.Is6() {
		return netip.Addr{}, false
	}
	if a.Is4() {
		// inet_pton accepts only dotted quads of decimal numbers.
		for _, part := range strings.Split(s, ".") {
			if len(part) > 1 && part[0] == '0' {
				return netip.Addr{}, false
			}
		}
	}
	return a, true
}

// parseCIDRPattern parses "addr", "addr/len", "[addr]" or "[addr]/len"
// (cidr_match_parse).
func parseCIDRPattern(pattern string) (netip.Prefix, string) {
	maskSearch := pattern
	if pattern != "" && pattern[0] == '[' {
		inner, after, ok := strings.Cut(pattern[1:], "]")
		if !ok {
			return netip.Prefix{}, fmt.Sprintf("missing ']' character after \"[%s\"", pattern[1:])
		}
		if after != "" && after[0] != '/' {
			return netip.Prefix{}, fmt.Sprintf("garbage after \"[%s]\"", inner)
		}
		pattern, maskSearch = inner, inner+after
	}
	if addrText, mask, ok := strings.Cut(maskSearch, "/"); ok {
		if pattern != maskSearch {
			addrText = pattern
		}
		bits := 32
		if strings.Contains(addrText, ":") {
			bits = 128
		}
		var problem string
		n, aerr := strconv.Atoi(mask)
		addr, good := parseAddr(addrText)
		switch {
		case !allDigits(mask):
			problem = "bad mask value"
		case aerr != nil || n > bits:
			problem = "bad mask length"
		case !good:
			problem = "bad network value"
		}
		if problem != "" {
			return netip.Prefix{}, fmt.Sprintf("%s in \"%s/%s\"", problem, addrText, mask)
		}
		pfx := netip.PrefixFrom(addr, n)
		if masked := pfx.Masked(); masked.Addr() != addr {
			return netip.Prefix{}, fmt.Sprintf("non-null host address bits in \"%s/%s\", perhaps you should use \"%s/%d\" instead",
				addrText, mask, masked.Addr(), n)
		}
		return pfx, ""
	}
	addr, good := parseAddr(pattern)
	if !good {
		return netip.Prefix{}, fmt.Sprintf("bad address pattern: \"%s\"", pattern)
	}
	return netip.PrefixFrom(addr, addr.BitLen()), ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// matches applies one rule to addr (cidr_match_entry): the rule's result
// when the address is in the network, its opposite otherwise.
func (r *cidrRule) matches(addr netip.Addr) bool {
	if r.prefix.Addr().Is6() != addr.Is6() {
		return false
	}
	return r.prefix.Contains(addr) == r.match
}

func (d *cidrDict) Lookup(key string) (string, bool, error) {
	d.Log().Debugf("dict_cidr_lookup: %s: %s", d.Name(), key)
	addr, ok := parseAddr(key)
	if !ok {
		return "", false, nil
	}
	for i := 0; i < len(d.rules); i++ {
		r := &d.rules[i]
		switch r.op {
		case cidrMatch:
			if r.matches(addr) {
				return r.value, true, nil
			}
		case cidrIf:
			if r.matches(addr) {
				continue
			}
			end, ok := d.blocks.Skip(i)
			if !ok {
				return "", false, nil
			}
			i = end
		}
	}
	return "", false, nil
}

// Package namadr matches a client against a host/address pattern list,
// as Postfix's namadr_list (src/global/namadr_list.c over match_list.c
// and match_ops.c): mynetworks, smtpd_authorized_xclient_hosts,
// smtpd_client_event_limit_exceptions and the like.
//
// A list is a comma/space separated sequence of patterns, each optionally
// negated with '!': "/file/name" (its lines are more patterns),
// "type:table" (looked up with the host name and its parent domains, then
// with the address), a domain name (matching the name itself and, when
// the list is in parent_domain_matches_subdomains or the pattern starts
// with '.', its subdomains), an address ("192.0.2.1", "[2001:db8::1]")
// or a network ("192.0.2.0/24", "[2001:db8::]/32"). The first pattern
// that matches decides; a negated one says "no".
package namadr

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
	"strings"

	"gopostfix/libglobal/util/dict"
)

// Table is the part of a lookup table a list needs.
type Table interface {
	Lookup(key string) (string, bool, error)
	Flags() dict.Flags
}

// OpenFunc opens a "type:name" pattern.
type OpenFunc func(spec string) (Table, error)

type kind int

const (
	kindName kind = iota
	kindAddr
	kindNet
	kindTable
)

type pattern struct {
	negate bool
	kind   kind
	text   string // lower-cased name, or the address text
	prefix netip.Prefix
	table  Table
}

// List is a parsed pattern list.
type List struct {
	Name   string // parameter name, for messages
	parent bool
	pats   []pattern
}

// New parses patterns (the value of parameter name). parent says whether
// name is listed in parent_domain_matches_subdomains.
func New(name string, patterns []string, parent bool, open OpenFunc) (*List, error) {
	l := &List{Name: name, parent: parent}
	if err := l.parse(patterns, false, open); err != nil {
		return nil, err
	}
	return l, nil
}

func isTable(p string) bool {
	return p != "" && p[0] != '[' && strings.Contains(p, ":") && !isAddrPattern(p)
}

// isAddrPattern tells bare IPv6 addresses and networks from tables.
func isAddrPattern(p string) bool {
	a, _, _ := strings.Cut(p, "/")
	_, err := netip.ParseAddr(a)
	return err == nil
}

func (l *List) parse(items []string, negated bool, open OpenFunc) error {
	for _, item := range items {
		neg := negated
		for item != "" && item[0] == '!' {
			neg = !neg
			item = item[1:]
		}
		switch {
		case item == "":
			return fmt.Errorf("%s: no pattern after '!'", l.Name)
		case item[0] == '/':
			if err := l.include(item, neg, open); err != nil {
				return err
			}
		case isTable(item):
			if open == nil {
				return fmt.Errorf("%s: no table support for %s", l.Name, item)
			}
			t, err := open(item)
			if err != nil {
				return fmt.Errorf("%s: %w", l.Name, err)
			}
			l.pats = append(l.pats, pattern{negate: neg, kind: kindTable, text: item, table: t})
		default:
			p, err := parseLiteral(item)
			if err != nil {
				return err
			}
			p.negate = neg
			l.pats = append(l.pats, p)
		}
	}
	return nil
}

// include reads the patterns of a "/file/name" entry.
func (l *List) include(path string, neg bool, open OpenFunc) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: open file %s: %w", l.Name, path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if err := l.parse(dict.TokensQ(line, dict.CommaSpace, "{}"), neg, open); err != nil {
			return err
		}
	}
	return sc.Err()
}

// parseLiteral classifies a name, address or network pattern.
func parseLiteral(item string) (pattern, error) {
	if strings.Contains(item, "/") {
		a, bits, _ := strings.Cut(item, "/")
		a = strings.TrimSuffix(strings.TrimPrefix(a, "["), "]")
		pfx, err := netip.ParsePrefix(a + "/" + bits)
		if err != nil {
			return pattern{}, fmt.Errorf("bad net/mask pattern: \"%s\"", item)
		}
		if pfx.Masked() != pfx {
			return pattern{}, fmt.Errorf("non-null host address bits in \"%s\", perhaps you should use \"%s\" instead", item, strings.Replace(item, a, pfx.Masked().Addr().String(), 1))
		}
		return pattern{kind: kindNet, prefix: pfx}, nil
	}
	if strings.HasPrefix(item, "[") && strings.HasSuffix(item, "]") {
		return pattern{kind: kindAddr, text: strings.ToLower(item[1 : len(item)-1])}, nil
	}
	if _, err := netip.ParseAddr(item); err == nil {
		return pattern{kind: kindAddr, text: strings.ToLower(item)}, nil
	}
	return pattern{kind: kindName, text: strings.ToLower(item)}, nil
}

// Match reports whether a client with host name and printable address
// addr matches. A table lookup error is returned (and means no match).
func (l *List) Match(name, addr string) (bool, error) {
	if l == nil {
		return false, nil
	}
	name = strings.ToLower(name)
	addr = strings.ToLower(addr)
	for _, p := range l.pats {
		ok, err := l.matchName(p, name)
		if err == nil && !ok {
			ok, err = matchAddr(p, addr)
		}
		if err != nil {
			return false, err
		}
		if ok {
			return !p.negate, nil
		}
	}
	return false, nil
}

// matchName is match_hostname: a table gets the name, then (for
// fixed-key tables) its parent domains; a literal matches the name or,
// as a parent domain, its subdomains.
func (l *List) matchName(p pattern, name string) (bool, error) {
	switch p.kind {
	case kindTable:
		for entry := name; entry != ""; {
			if entry == name || p.table.Flags()&dict.FlagFixed != 0 {
				if _, ok, err := p.table.Lookup(entry); err != nil || ok {
					return ok, err
				}
			}
			i := strings.IndexByte(entry[1:], '.')
			if i < 0 {
				break
			}
			entry = entry[i+1:]
			if l.parent {
				entry = entry[1:]
			}
		}
		return false, nil
	case kindName:
		if name == p.text {
			return true, nil
		}
		if l.parent {
			return strings.HasSuffix(name, "."+p.text), nil
		}
		return strings.HasPrefix(p.text, ".") && len(name) > len(p.text) && strings.HasSuffix(name, p.text), nil
	}
	return false, nil
}

// matchAddr is match_hostaddr.
func matchAddr(p pattern, addr string) (bool, error) {
	if addr == "" || addr[0] == '[' {
		return false, nil
	}
	switch p.kind {
	case kindTable:
		_, ok, err := p.table.Lookup(addr)
		return ok, err
	case kindAddr:
		return addr == p.text, nil
	case kindNet:
		a, err := netip.ParseAddr(addr)
		if err != nil {
			return false, nil
		}
		return p.prefix.Contains(a.Unmap()), nil
	}
	return false, nil
}

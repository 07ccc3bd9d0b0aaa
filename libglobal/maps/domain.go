package maps

import (
	"net/netip"
	"strings"

	"gopostfix/libglobal/util/dict"
)

// partial is Find's flag for the partial keys of domain and address
// searches: they go to fixed-key tables only.
const partial = true

// DomainStyle says how parent domains are tried for a domain name.
type DomainStyle int

const (
	// ParentStyle tries "b.example.com", "example.com", "com": the table
	// is listed in parent_domain_matches_subdomains.
	ParentStyle DomainStyle = iota
	// DotStyle tries ".b.example.com", ".example.com", ".com".
	DotStyle
)

// Hit is a successful search: the value and the key that found it.
type Hit struct {
	Value string
	Key   string
}

// ParentMatches reports whether class (a parameter name such as
// "smtpd_access_maps") is listed in parent_domain_matches_subdomains.
func ParentMatches(pdms string, class string) bool {
	for _, w := range dict.TokensQ(pdms, dict.CommaSpace, "{}") {
		if w == class {
			return true
		}
	}
	return false
}

// FindDomain looks up a host or domain name the way check_domain_access
// does: the full name in every table, then each parent domain (as style
// says) in fixed-key tables only. An IP address literal gets only the
// full lookup.
func (m *Maps) FindDomain(name string, style DomainStyle) (Hit, bool, error) {
	name = strings.TrimSuffix(name, ".")
	if v, ok, err := m.Find(name, false); ok || err != nil {
		return Hit{v, name}, ok, err
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return Hit{}, false, nil
	}
	for _, key := range ParentKeys(name, style) {
		if v, ok, err := m.Find(key, partial); ok || err != nil {
			return Hit{v, key}, ok, err
		}
	}
	return Hit{}, false, nil
}

// ParentKeys lists the partial keys of a domain name in search order:
// "b.example.com", "example.com", "com" (ParentStyle) or ".b.example.com",
// ".example.com", ".com" (DotStyle) for "a.b.example.com".
func ParentKeys(name string, style DomainStyle) []string {
	var keys []string
	for i := strings.IndexByte(name, '.'); i >= 0; {
		if style == DotStyle {
			keys = append(keys, name[i:])
		} else if i+1 < len(name) {
			keys = append(keys, name[i+1:])
		}
		j := strings.IndexByte(name[i+1:], '.')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return keys
}

// AddrKeys lists the keys of an IP address search, as check_addr_access:
// the address, then shorter prefixes made by dropping the last component
// ("1.2.3.4", "1.2.3", "1.2", "1"; "2001:db8::1", "2001:db8:",
// "2001:db8", "2001"). IPv6 addresses are used in the text form given.
func AddrKeys(addr string) []string {
	sep := byte('.')
	if strings.Contains(addr, ":") {
		sep = ':'
	}
	keys := []string{addr}
	for s := addr; ; {
		i := strings.LastIndexByte(s, sep)
		if i <= 0 {
			return keys
		}
		s = s[:i]
		keys = append(keys, s)
	}
}

// FindAddr looks up an IP address: the full address in every table, the
// shorter prefixes in fixed-key tables only (cidr tables see only the full
// address).
func (m *Maps) FindAddr(addr string) (Hit, bool, error) {
	for i, key := range AddrKeys(addr) {
		if v, ok, err := m.Find(key, i > 0 && partial); ok || err != nil {
			return Hit{v, key}, ok, err
		}
	}
	return Hit{}, false, nil
}

package maps

import (
	"fmt"
	"net/netip"
	"strings"

	"gopostfix/libglobal/util/dict/stdtypes"
)

// Characters of address texts (match_ops.c).
const (
	v4AddrChars = "01234567890."
	v6AddrChars = v4AddrChars + "abcdefABCDEF:"
)

func onlyChars(s, set string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}

// matchAddr compares a client address with one plain pattern of an
// AddrList (match_hostaddr): the address itself, "[address]", or a
// network "net/len" ("[net]/len" for IPv6). Names and IPv4 patterns of
// the other family never match; a malformed network is an error.
func (l *MatchList) matchAddr(p pattern, addr string) (bool, error) {
	pat := p.text
	if pat == addr || pat == "["+addr+"]" {
		return true, nil
	}
	if strings.Contains(addr, ":") != strings.Contains(pat, ":") ||
		!strings.ContainsAny(pat, ":/") || onlyChars(pat, v4AddrChars) ||
		!onlyChars(pat, v6AddrChars+"[]/") {
		return false, nil
	}
	pfx, problem := stdtypes.ParseCIDRPattern(pat)
	if problem != "" {
		return false, fmt.Errorf("%s: %s", l.Name, problem)
	}
	a, err := netip.ParseAddr(addr)
	return err == nil && pfx.Contains(a.Unmap()), nil
}

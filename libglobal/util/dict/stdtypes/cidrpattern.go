package stdtypes

import "net/netip"

// ParseCIDRPattern parses an address or network pattern as cidr tables
// and address match lists do (cidr_match_parse): "addr", "addr/len",
// "[addr]" or "[addr]/len". A non-empty problem is Postfix's text for a
// bad pattern ("bad mask length in ...", "non-null host address bits
// in ...").
func ParseCIDRPattern(pattern string) (pfx netip.Prefix, problem string) {
	return parseCIDRPattern(pattern)
}

package maps

import (
	"net"
	"net/netip"
	"strings"

	"gopostfix/libglobal/util/inet"
)

// Local decides whether a domain is delivered on this machine
// (resolve_local.c): it is listed in mydestination, or it is an address
// literal of an interface named by inet_interfaces or proxy_interfaces.
type Local struct {
	Dest  *MatchList   // mydestination
	Addrs []netip.Addr // own_inet_addr and proxy_inet_addr
}

// InterfaceAddrs returns the addresses an inet_interfaces or
// proxy_interfaces value stands for: "all" is every local interface,
// "loopback-only" the loopback addresses, anything else a list of host
// names or addresses.
func InterfaceAddrs(value string) []netip.Addr {
	var out []netip.Addr
	for _, item := range strings.FieldsFunc(value, func(r rune) bool { return strings.ContainsRune(CommaSpace, r) }) {
		switch strings.ToLower(item) {
		case "all":
			ifs, _ := inet.Local()
			for _, a := range ifs {
				out = append(out, a.Addr)
			}
		case "loopback-only":
			out = append(out, netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1"))
		default:
			h := strings.TrimSuffix(strings.TrimPrefix(item, "["), "]")
			if a, err := netip.ParseAddr(h); err == nil {
				out = append(out, a.Unmap())
				continue
			}
			ips, _ := net.LookupIP(h)
			for _, ip := range ips {
				if a, ok := netip.AddrFromSlice(ip); ok {
					out = append(out, a.Unmap())
				}
			}
		}
	}
	return out
}

// CommaSpace separates the items of Postfix lists.
const CommaSpace = ", \t\r\n"

// Match reports whether domain is local; an error means the
// mydestination lookup failed.
func (l *Local) Match(domain string) (bool, error) {
	if domain == "" {
		return false, nil
	}
	domain = strings.TrimSuffix(domain, ".")
	if domain == "" || strings.HasSuffix(domain, ".") {
		return false, nil
	}
	if ok, err := l.Dest.Match(domain); ok || err != nil {
		return ok, err
	}
	if len(domain) > 2 && domain[0] == '[' && domain[len(domain)-1] == ']' {
		lit := domain[1 : len(domain)-1]
		if len(lit) > 5 && strings.EqualFold(lit[:5], "ipv6:") {
			lit = lit[5:]
		}
		a, err := netip.ParseAddr(lit)
		if err != nil {
			return false, nil
		}
		a = a.Unmap()
		for _, own := range l.Addrs {
			if own == a {
				return true, nil
			}
		}
	}
	return false, nil
}

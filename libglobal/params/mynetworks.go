package params

import (
	"fmt"
	"math/bits"
	"net/netip"
	"strings"

	"gopostfix/libglobal/util/inet"
)

// family is an address family Postfix enables with inet_protocols.
type family int

const (
	ipv4 family = 1 << iota
	ipv6
)

// configured returns the value of a parameter as set, else its expanded
// built-in default, as postconf does for the inputs of mynetworks.
func configured(name string, r Resolver) (string, error) {
	v, set, err := r.Setting(name)
	if err != nil || set {
		return v, err
	}
	p, _ := Lookup(name)
	return r.Expand(p.Default)
}

// splitNames splits a name list the way name_mask(3) does by default.
func splitNames(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool { return strings.ContainsRune(", \t\r\n", c) })
}

// ParseProtocols checks an inet_protocols value ("all", "ipv4", "ipv6",
// comma or space separated) and returns the enabled families, "ipv4"
// before "ipv6" as inet_proto_init(3) orders them. The error is Postfix's.
func ParseProtocols(value string) ([]string, error) {
	fams, err := protocols(value)
	var names []string
	for _, f := range fams {
		names = append(names, map[family]string{ipv4: "ipv4", ipv6: "ipv6"}[f])
	}
	return names, err
}

// protocols parses inet_protocols. The result lists IPv4 before IPv6, as
// inet_proto_init(3) orders them.
func protocols(value string) ([]family, error) {
	mask := family(0)
	for _, name := range splitNames(value) {
		switch name {
		case "all":
			mask |= ipv4 | ipv6
		case "ipv4":
			mask |= ipv4
		case "ipv6":
			mask |= ipv6
		default:
			return nil, fmt.Errorf("unknown inet_protocols value \"%s\" in \"%s\"", name, value)
		}
	}
	var fams []family
	for _, f := range []family{ipv4, ipv6} {
		if mask&f != 0 {
			fams = append(fams, f)
		}
	}
	return fams, nil
}

func familyOf(a netip.Addr) family {
	if a.Is4() {
		return ipv4
	}
	return ipv6
}

// localByFamily lists the local addresses one enabled family at a time.
func localByFamily(h *Host, fams []family) ([]inet.IfAddr, error) {
	var out []inet.IfAddr
	for _, f := range fams {
		for _, a := range h.Addrs {
			if familyOf(a.Addr) == f {
				out = append(out, a)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("could not find any active network interfaces")
	}
	return out, nil
}

// ownAddrs is own_inet_addr(3): the addresses Postfix receives mail on,
// with their netmasks.
func ownAddrs(h *Host, interfaces string, fams []family) ([]inet.IfAddr, error) {
	switch interfaces {
	case "all":
		return localByFamily(h, fams)
	case "loopback-only":
		local, err := localByFamily(h, fams)
		if err != nil {
			return nil, err
		}
		var out []inet.IfAddr
		for _, a := range local {
			if inet.IsLoopback(a.Addr) {
				out = append(out, a)
			}
		}
		return out, nil
	}
	var addrs []netip.Addr
	for _, host := range strings.FieldsFunc(interfaces, func(c rune) bool { return c == ' ' || c == '\t' || c == ',' }) {
		found := hostAddrs(h, host, fams)
		if len(found) == 0 {
			return nil, fmt.Errorf("config variable inet_interfaces: host not found: %s", host)
		}
		for _, a := range found {
			if !containsAddr(addrs, a) {
				addrs = append(addrs, a)
			}
		}
	}
	local, err := localByFamily(h, fams)
	if err != nil {
		return nil, err
	}
	var out []inet.IfAddr
	for _, a := range addrs {
		i := 0
		for i < len(local) && local[i].Addr != a {
			i++
		}
		if i == len(local) {
			return nil, fmt.Errorf("parameter inet_interfaces: no local interface found for %s", a)
		}
		out = append(out, local[i])
	}
	return out, nil
}

func containsAddr(list []netip.Addr, a netip.Addr) bool {
	for _, b := range list {
		if a == b {
			return true
		}
	}
	return false
}

// hostAddrs resolves one inet_interfaces entry: an address, optionally in
// [], or a name, keeping the enabled families only.
func hostAddrs(h *Host, host string, fams []family) []netip.Addr {
	name := host
	if len(host) >= 2 && host[0] == '[' && host[len(host)-1] == ']' {
		name = host[1 : len(host)-1]
	}
	var found []netip.Addr
	if a, err := netip.ParseAddr(name); err == nil && a.Zone() == "" {
		found = []netip.Addr{a}
	} else if h.ResolveHost != nil {
		found, _ = h.ResolveHost(name)
	}
	var out []netip.Addr
	for _, a := range found {
		a = a.WithZone("")
		for _, f := range fams {
			if familyOf(a) == f {
				out = append(out, a)
			}
		}
	}
	return out
}

// maskStyle parses mynetworks_style: exactly one of class, subnet, host.
func maskStyle(value string) (string, error) {
	seen := map[string]bool{}
	for _, name := range splitNames(value) {
		switch name {
		case "class", "subnet", "host":
			seen[name] = true
		default:
			return "", fmt.Errorf("unknown mynetworks mask style value \"%s\" in \"%s\"", name, value)
		}
	}
	if len(seen) != 1 {
		return "", fmt.Errorf("bad mynetworks_style value: %s; specify exactly one value", value)
	}
	for name := range seen {
		return name, nil
	}
	return "", nil
}

// defaultMynetworks is mynetworks(3) as postconf calls it: one
// "network/prefix " word (with its trailing space) per own address, IPv6
// networks in [], duplicates removed.
func defaultMynetworks(h *Host, r Resolver) (string, error) {
	interfaces, err := configured("inet_interfaces", r)
	if err != nil {
		return "", err
	}
	styleText, err := configured("mynetworks_style", r)
	if err != nil {
		return "", err
	}
	protoText, err := configured("inet_protocols", r)
	if err != nil {
		return "", err
	}
	fams, err := protocols(protoText)
	if err != nil || len(fams) == 0 {
		return "", err
	}
	style, err := maskStyle(styleText)
	if err != nil {
		return "", err
	}
	own, err := ownAddrs(h, interfaces, fams)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	seen := map[string]bool{}
	for _, a := range own {
		word, err := network(a, style)
		if err != nil {
			return "", err
		}
		if !seen[word] {
			seen[word] = true
			b.WriteString(word + " ")
		}
	}
	return b.String(), nil
}

// network is the mynetworks pattern of one address for a mask style.
func network(a inet.IfAddr, style string) (string, error) {
	if a.Addr.Is4() {
		return network4(a, style)
	}
	prefix := 128
	if style != "host" {
		prefix = maskPrefix6(a.Mask)
	}
	p, err := a.Addr.Prefix(prefix)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("[%s]/%d", p.Addr(), prefix), nil
}

func network4(a inet.IfAddr, style string) (string, error) {
	b := a.Addr.As4()
	addr := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	var mask uint32
	var prefix int
	switch style {
	case "host":
		mask, prefix = ^uint32(0), 32
	case "subnet":
		m := a.Mask
		mask = uint32(m[0])<<24 | uint32(m[1])<<16 | uint32(m[2])<<8 | uint32(m[3])
		prefix = maskPrefix(m)
	case "class":
		switch {
		case addr&0x80000000 == 0:
			mask, prefix = 0xff000000, 8
		case addr&0xc0000000 == 0x80000000:
			mask, prefix = 0xffff0000, 16
		case addr&0xe0000000 == 0xc0000000:
			mask, prefix = 0xffffff00, 24
		case addr&0xf0000000 == 0xe0000000:
			mask, prefix = 0xf0000000, 4
		default:
			return "", fmt.Errorf("mynetworks_core: unknown address class: %s", a.Addr)
		}
	}
	n := addr & mask
	return fmt.Sprintf("%d.%d.%d.%d/%d", n>>24, n>>16&0xff, n>>8&0xff, n&0xff, prefix), nil
}

// maskPrefix6 is the prefix length Postfix derives from an IPv6 netmask:
// the leading all-ones bytes, then the bits of the next byte up to its
// last one bit; the rest is not looked at.
func maskPrefix6(mask []byte) int {
	prefix := 0
	for _, c := range mask {
		if c != 0xff {
			if c != 0 {
				prefix += 8 - bits.TrailingZeros8(c)
			}
			break
		}
		prefix += 8
	}
	return prefix
}

// maskPrefix is the prefix length Postfix derives from an IPv4 netmask:
// the position of its last one bit (the length for contiguous masks).
func maskPrefix(mask []byte) int {
	prefix := len(mask) * 8
	for i := len(mask) - 1; i >= 0; i-- {
		if mask[i] != 0 {
			return prefix - bits.TrailingZeros8(mask[i])
		}
		prefix -= 8
	}
	return 0
}

package haproxy

import (
	"net/netip"
	"strconv"
	"strings"

	"gopostfix/libglobal/util/validhost"
)

// hostAddrMax is sizeof(MAI_HOSTADDR_STR): INET6_ADDRSTRLEN, with the
// terminating NUL.
const hostAddrMax = 46

// textAddr checks and prints an address of the text form
// (haproxy_srvr_parse_addr): valid_ipv4_hostaddr or valid_ipv6_hostaddr
// by the protocol, converted as getaddrinfo with AI_NUMERICHOST does and
// printed as getnameinfo does.
func textAddr(s string, v6, ipv4 bool) (string, bool) {
	if s == "" || len(s) >= hostAddrMax {
		return "", false
	}
	var a netip.Addr
	if v6 {
		var err error
		if !validhost.IPv6Addr(s) {
			return "", false
		}
		if a, err = netip.ParseAddr(s); err != nil {
			return "", false
		}
	} else {
		b, ok := parseIPv4(s)
		if !ok {
			return "", false
		}
		a = netip.AddrFrom4(b)
	}
	return hostAddr(a, ipv4), true
}

// parseIPv4 is valid_ipv4_hostaddr followed by the C library's numeric
// conversion, which reads a field with a leading zero as octal:
// "01.02.03.04" is 1.2.3.4, "010.1.1.1" is 8.1.1.1 and "08.1.1.1" is no
// address at all.
func parseIPv4(s string) (b [4]byte, ok bool) {
	if !validhost.IPv4Addr(s) {
		return b, false
	}
	for i, f := range strings.Split(s, ".") {
		base := 10
		if len(f) > 1 && f[0] == '0' {
			base = 8
		}
		v, err := strconv.ParseUint(f, base, 8)
		if err != nil {
			return b, false
		}
		b[i] = byte(v)
	}
	return b, true
}

// binAddr prints a binary address of a version 2 header.
func binAddr(p []byte, ipv4 bool) string {
	a, _ := netip.AddrFromSlice(p)
	return hostAddr(a, ipv4)
}

// hostAddr prints an address as sockaddr_to_hostaddr does through
// getnameinfo: IPv4-compatible addresses (::a.b.c.d) in dotted form as
// glibc writes them, and IPv4-mapped ones (::ffff:a.b.c.d) without the
// prefix while IPv4 is enabled, as haproxy_srvr.c strips it.
func hostAddr(a netip.Addr, ipv4 bool) string {
	if a.Is4In6() {
		if ipv4 {
			return a.Unmap().String()
		}
		return "::ffff:" + a.Unmap().String()
	}
	if a.Is6() {
		b := a.As16()
		if b16 := b[12:14]; strings.Trim(string(b[:12]), "\x00") == "" && (b16[0] != 0 || b16[1] != 0) {
			return "::" + netip.AddrFrom4([4]byte(b[12:16])).String()
		}
	}
	return a.String()
}

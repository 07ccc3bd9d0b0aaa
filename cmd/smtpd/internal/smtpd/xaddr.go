package smtpd

import (
	"net/netip"
	"strconv"
	"strings"

	"gopostfix/libglobal/util/validhost"
)

// normalizeAddr is Postfix's normalize_mailhost_addr for the XCLIENT
// ADDR and DESTADDR and XFORWARD ADDR values: the syntax check of
// valid_mailhost_addr (an IPv4 dotted quad, or an IPv6 address behind a
// case-insensitive "IPv6:"), then the numeric getaddrinfo of glibc with
// the address family inet_protocols selects, then its getnameinfo text.
// What that means for odd input:
//
//   - each IPv4 field is read as inet_aton reads it: a leading 0 makes
//     it octal, so 127.000.000.001 is 127.0.0.1, 010.1.2.3 is 8.1.2.3,
//     and 08.1.1.1 is refused;
//   - with IPv4 only, an IPv6 address is refused unless it is an
//     IPv4-mapped one (::ffff:a.b.c.d), which becomes a.b.c.d; with IPv6
//     only, an IPv4 address is refused;
//   - an IPv6 address is printed as glibc's inet_ntop prints it
//     (::a.b.c.d for IPv4-compatible addresses such as ::102:304, which
//     is ::1.2.3.4), and a mapped one becomes its IPv4 address when
//     IPv4 is enabled.
//
// It returns the bare address and whether it is IPv6.
func normalizeAddr(value string, ipv4, ipv6 bool) (addr string, isV6 bool, ok bool) {
	bare, ok := validhost.MailhostAddr(value)
	if !ok {
		return "", false, false
	}
	if a, ok := inetAton4(bare); ok {
		if !ipv4 && ipv6 {
			return "", false, false // AF_INET6 hint, no AI_V4MAPPED
		}
		return a.String(), false, true
	}
	a, err := netip.ParseAddr(bare)
	if err != nil || !a.Is6() || a.Zone() != "" {
		return "", false, false
	}
	if ipv4 && !ipv6 {
		// An AF_INET hint: glibc turns a mapped address into IPv4
		// and refuses any other IPv6 address.
		if !a.Is4In6() {
			return "", false, false
		}
		return a.Unmap().String(), false, true
	}
	text := inetNtop6(a.As16())
	if ipv4 && len(text) > 7 && strings.EqualFold(text[:7], "::ffff:") {
		return text[7:], false, true
	}
	return text, true, true
}

// inetAton4 reads a dotted quad as glibc's inet_aton does: decimal
// fields, or octal ones with a leading 0 (hexadecimal "0x" fields cannot
// pass valid_mailhost_addr). It accepts exactly four fields of at most
// 255 each.
func inetAton4(s string) (netip.Addr, bool) {
	var b [4]byte
	fields := strings.Split(s, ".")
	if len(fields) != 4 {
		return netip.Addr{}, false
	}
	for i, f := range fields {
		if f == "" || !allDigits(f) {
			return netip.Addr{}, false
		}
		base := 10
		if len(f) > 1 && f[0] == '0' {
			base = 8
		}
		v, err := strconv.ParseUint(f, base, 32)
		if err != nil || v > 255 {
			return netip.Addr{}, false
		}
		b[i] = byte(v)
	}
	return netip.AddrFrom4(b), true
}

// inetNtop6 formats an IPv6 address as glibc's inet_ntop: lower-case
// hex groups, the first longest run of two or more zero groups as "::",
// and the last 32 bits as a dotted quad for IPv4-compatible addresses
// whose first 96 bits are zero and whose next 16 bits are not
// (::a.b.c.d) and for IPv4-mapped ones (::ffff:a.b.c.d).
func inetNtop6(a [16]byte) string {
	var w [8]int
	for i := range w {
		w[i] = int(a[2*i])<<8 | int(a[2*i+1])
	}
	bestBase, bestLen, curBase, curLen := -1, 0, -1, 0
	for i := 0; i <= 8; i++ {
		if i < 8 && w[i] == 0 {
			if curBase < 0 {
				curBase, curLen = i, 0
			}
			curLen++
			continue
		}
		if curBase >= 0 && curLen > bestLen {
			bestBase, bestLen = curBase, curLen
		}
		curBase = -1
	}
	if bestLen < 2 {
		bestBase = -1
	}
	var b strings.Builder
	for i := 0; i < 8; i++ {
		if bestBase >= 0 && i >= bestBase && i < bestBase+bestLen {
			if i == bestBase {
				b.WriteByte(':')
			}
			continue
		}
		if i != 0 {
			b.WriteByte(':')
		}
		if i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff)) {
			b.WriteString(netip.AddrFrom4([4]byte{a[12], a[13], a[14], a[15]}).String())
			return b.String()
		}
		b.WriteString(strconv.FormatInt(int64(w[i]), 16))
	}
	if bestBase >= 0 && bestBase+bestLen == 8 {
		b.WriteByte(':')
	}
	return b.String()
}

// attrAddr checks an XCLIENT ADDR or DESTADDR or an XFORWARD ADDR value
// (already printable and neutered): "[UNAVAILABLE]" in any case, which
// is "unknown", or an address normalizeAddr accepts.
func (ss *Session) attrAddr(value string) (string, bool) {
	if strings.EqualFold(value, "[UNAVAILABLE]") {
		return "unknown", true
	}
	a, _, ok := normalizeAddr(value, ss.cfg.IPv4, ss.cfg.IPv6)
	return a, ok
}

// attrPort checks an XCLIENT/XFORWARD port value: "[UNAVAILABLE]",
// which is "unknown", or up to five digits, kept as sent (leading zeros
// too).
func attrPort(value string) (string, bool) {
	if strings.EqualFold(value, "[UNAVAILABLE]") {
		return "unknown", true
	}
	if !allDigits(value) || len(value) > 5 {
		return "", false
	}
	return value, true
}

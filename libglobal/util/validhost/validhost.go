// Package validhost checks the syntax of numeric host addresses and
// port numbers as Postfix's valid_hostname(3) (src/util/valid_hostname.c)
// does before it trusts them: valid_ipv4_hostaddr, valid_ipv6_hostaddr,
// valid_hostaddr and valid_hostport, and the address literals of
// src/global/valid_mailhost_addr.c (MailhostAddr, MailhostLiteral) that
// trivial-rewrite, postqueue -s and smtpd accept. The checks are syntactic and
// deliberately narrow (they guard against malformed network input);
// converting an accepted text to an address is the caller's business.
//
// Difference: the "gripe" warnings are not logged; callers say what
// they need to.
package validhost

import "strings"

// IPv4Addr is valid_ipv4_hostaddr: four dot-separated decimal fields of
// at most 255 each (leading zeros allowed), no empty field, and a first
// field of zero only in 0.0.0.0.
func IPv4Addr(s string) bool {
	fields := strings.Split(s, ".")
	if len(fields) != 4 {
		return false
	}
	for _, f := range fields {
		if f == "" || strings.Trim(f, "0123456789") != "" {
			return false
		}
		v := 0
		for i := 0; i < len(f); i++ {
			if v = v*10 + int(f[i]-'0'); v > 255 {
				return false
			}
		}
	}
	if strings.Trim(fields[0], "0") == "" && strings.Trim(s, "0.") != "" {
		return false // 0.x.y.z
	}
	return true
}

// hexDigits are the digits of an IPv6 field.
const hexDigits = "0123456789abcdefABCDEF"

// IPv6Addr is valid_ipv6_hostaddr: up to eight colon-separated fields of
// one to four hex digits, at most one "::", or fewer fields ending in an
// IPv4 address (0:1:2:3:4:5:6a.6b.7c.7d). Zones ("%eth0") are refused.
func IPv6Addr(s string) bool {
	field, nullField, n := 0, 0, 0 // n: length of the current field
	for i := 0; ; {
		switch {
		case i == len(s):
			return field >= 2 && (n > 0 || nullField == field-1)
		case s[i] == '.':
			return field >= 2 && field <= 6 && IPv4Addr(s[i-n:])
		case s[i] == ':':
			if field == 0 && n == 0 && i+1 < len(s) && isAlnum(s[i+1]) {
				return false // a single leading colon
			}
			if field++; field > 7 {
				return false
			}
			i++
			n = 0
			if i < len(s) && s[i] == ':' {
				if nullField > 0 {
					return false // a second "::"
				}
				nullField = field
			}
		default:
			for n = 0; i+n < len(s) && strings.IndexByte(hexDigits, s[i+n]) >= 0; n++ {
			}
			if n == 0 || n > 4 {
				return false
			}
			i += n
		}
	}
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// HostAddr is valid_hostaddr: IPv6 syntax when s has a colon, IPv4
// otherwise; never empty.
func HostAddr(s string) bool {
	switch {
	case s == "":
		return false
	case strings.Contains(s, ":"):
		return IPv6Addr(s)
	}
	return IPv4Addr(s)
}

// Port is valid_hostport: decimal digits without a leading zero, at most
// 65535.
func Port(s string) bool {
	if s == "" || len(s) > 5 || (s[0] == '0' && len(s) > 1) || strings.Trim(s, "0123456789") != "" {
		return false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v <= 65535
}

package main

import (
	"net/netip"
	"strings"
	"unicode/utf8"
)

// Hostname syntax limits (valid_hostname.h).
const (
	validLabelLen    = 63
	validHostnameLen = 255
)

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// validHostname is valid_hostname: letters, digits, '_' and inner '-' in
// labels of at most 63 bytes, no empty labels, not all numeric, at most
// 255 bytes. A name with non-ASCII bytes is accepted when it is valid
// UTF-8 (smtputf8_enable; Postfix converts it to A-labels first).
func validHostname(name string) bool {
	if name == "" {
		return false
	}
	if !isASCII(name) {
		return utf8.ValidString(name) && len(name) <= validHostnameLen
	}
	labelLen, nonNumeric := 0, false
	for i := 0; i < len(name); i++ {
		c := name[i]
		last := i+1 == len(name)
		switch {
		case isAlnum(c) || c == '_':
			labelLen++
			if labelLen > validLabelLen {
				return false
			}
			if c < '0' || c > '9' {
				nonNumeric = true
			}
		case c == '.':
			if labelLen == 0 || last {
				return false
			}
			labelLen = 0
		case c == '-':
			nonNumeric = true
			labelLen++
			if labelLen == 1 || last || name[i+1] == '.' {
				return false
			}
		default:
			return false
		}
	}
	return nonNumeric && len(name) <= validHostnameLen
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// validIPv4 is valid_ipv4_hostaddr: four decimal bytes.
func validIPv4(addr string) bool {
	inByte, count, val := false, 0, 0
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		switch {
		case c >= '0' && c <= '9':
			if !inByte {
				inByte, val = true, 0
				count++
			}
			val = val*10 + int(c-'0')
			if val > 255 {
				return false
			}
		case c == '.':
			if !inByte || i+1 == len(addr) {
				return false
			}
			if count == 1 && val == 0 && strings.TrimLeft(addr, "0.") != "" {
				return false
			}
			inByte = false
		default:
			return false
		}
	}
	return count == 4
}

// validIPv6 is valid_ipv6_hostaddr, approximated by the Go parser without
// zones.
func validIPv6(addr string) bool {
	a, err := netip.ParseAddr(addr)
	return err == nil && a.Is6() && a.Zone() == ""
}

// validHostaddr is valid_hostaddr: an IPv4 or IPv6 address.
func validHostaddr(addr string) bool {
	if addr == "" {
		return false
	}
	if strings.Contains(addr, ":") {
		return validIPv6(addr)
	}
	return validIPv4(addr)
}

// validMailhostLiteral is valid_mailhost_literal: "[ipv4]" or
// "[IPv6:ipv6]".
func validMailhostLiteral(lit string) bool {
	if len(lit) < 2 || lit[0] != '[' || lit[len(lit)-1] != ']' || strings.Count(lit, "]") != 1 {
		return false
	}
	inner := lit[1 : len(lit)-1]
	if len(inner) > 5 && strings.EqualFold(inner[:5], "IPv6:") {
		return validIPv6(inner[5:])
	}
	return validIPv4(inner)
}

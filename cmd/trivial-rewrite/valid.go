package main

import "unicode/utf8"

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

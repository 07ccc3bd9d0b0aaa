package main

import "strings"

// quote821Local quotes the local part of an address as RFC 821 wants it
// when it is not a dot-string (quote_821_local with 8-bit clean text):
// this is how the emulated MAIL FROM and RCPT TO events give Milters the
// addresses.
func quote821Local(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		at = len(addr)
	}
	local, domain := addr[:at], addr[at:]
	if isDotString821(local) {
		return addr
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(local); i++ {
		switch c := local[i]; c {
		case '\r', '\n', '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String() + domain
}

// isDotString821 reports whether a local part needs no quotes: no empty
// or dot-delimited-empty atoms, no space, control or special character.
func isDotString821(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c < 0x20 || c == 0x7f || strings.IndexByte("<>()[]\\,;:@\"", c) >= 0 {
			return false
		}
	}
	return true
}

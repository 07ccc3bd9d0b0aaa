package validhost

import "strings"

// hostAddrSize is the size of Postfix's buffer for a printable address
// (MAI_HOSTADDR_STR, INET6_ADDRSTRLEN with its NUL): the text inside an
// address literal must be shorter.
const hostAddrSize = 46

// MailhostAddr is valid_mailhost_addr (src/global/valid_mailhost_addr.c):
// an IPv6 address behind a case-insensitive "IPv6:" prefix, or else an
// IPv4 address. It returns the address without the prefix.
func MailhostAddr(s string) (string, bool) {
	if len(s) >= 5 && strings.EqualFold(s[:5], "IPv6:") {
		return s[5:], IPv6Addr(s[5:])
	}
	return s, IPv4Addr(s)
}

// MailhostLiteral is valid_mailhost_literal: "[" MailhostAddr "]", the
// first "]" being the last byte, with fewer than 46 bytes between the
// brackets.
func MailhostLiteral(s string) bool {
	if !strings.HasPrefix(s, "[") {
		return false
	}
	end := strings.IndexByte(s, ']')
	if end < 0 || end != len(s)-1 || end-1 >= hostAddrSize {
		return false
	}
	_, ok := MailhostAddr(s[1:end])
	return ok
}

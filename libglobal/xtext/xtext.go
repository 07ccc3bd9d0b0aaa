// Package xtext is the "xtext" encoding of RFC 3461 that SMTP uses for
// ENVID, ORCPT and XFORWARD values, and the "utf-8-addr-xtext" form of
// RFC 6533, as Postfix's src/global/xtext.c and uxtext.c write and read
// them.
package xtext

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gopostfix/libglobal/util/stringops"
)

// Quote is xtext_quote: '+', bytes outside '!'..'~' and the bytes of
// special become "+XX" (upper-case hex).
func Quote(s, special string) string { return stringops.HexQuote(s, '+', special) }

// Unquote is xtext_unquote: each "+XX" (hex digits in either case)
// becomes its byte, other bytes stay; ok is false for a '+' without two
// hex digits.
func Unquote(s string) (string, bool) { return stringops.HexUnquote(s, '+') }

// UQuote is uxtext_quote (RFC 6533): like Quote, but what is escaped is
// written as \x{CODE} of its Unicode code point, and '\' is escaped
// instead of '+'; ok is false for malformed UTF-8.
func UQuote(s, special string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' && c > 32 && c < 127 && strings.IndexByte(special, c) < 0 {
			b.WriteByte(c)
			i++
			continue
		}
		r, n := rune(c), 1
		if c >= 0x80 {
			r, n = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError {
				return "", false
			}
		}
		fmt.Fprintf(&b, "\\x{%02X}", r)
		i += n
	}
	return b.String(), true
}

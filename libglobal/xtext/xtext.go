// Package xtext is the "xtext" encoding of RFC 3461 that SMTP uses for
// ENVID, ORCPT and XFORWARD values, and the "utf-8-addr-xtext" form of
// RFC 6533, as Postfix's src/global/xtext.c and uxtext.c write and read
// them.
package xtext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Quote is xtext_quote: '+', bytes outside '!'..'~' and the bytes of
// special become "+XX" (upper-case hex).
func Quote(s, special string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '+' && c > 32 && c < 127 && strings.IndexByte(special, c) < 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "+%02X", c)
		}
	}
	return b.String()
}

// Unquote is xtext_unquote: each "+XX" (hex digits in either case)
// becomes its byte, other bytes stay; ok is false for a '+' without two
// hex digits.
func Unquote(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '+' {
			if i+2 >= len(s) {
				return "", false
			}
			hi, ok1 := hexDigit(s[i+1])
			lo, ok2 := hexDigit(s[i+2])
			if !ok1 || !ok2 {
				return "", false
			}
			c = hi<<4 | lo
			i += 2
		}
		b.WriteByte(c)
	}
	return b.String(), true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

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

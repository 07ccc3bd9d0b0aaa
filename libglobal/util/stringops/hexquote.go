package stringops

import (
	"fmt"
	"strings"
)

// HexQuote escapes s the way Postfix's hex_quote (mark '%') and
// xtext_quote (mark '+') do: the mark, bytes outside '!'..'~' and the
// bytes of special become the mark and two upper-case hex digits.
func HexQuote(s string, mark byte, special string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != mark && c > ' ' && c < 0x7f && strings.IndexByte(special, c) < 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%c%02X", mark, c)
		}
	}
	return b.String()
}

// HexUnquote undoes HexQuote (hex_unquote, xtext_unquote): the mark and
// two hex digits in either case become that byte, other bytes stay; ok
// is false for a mark without two hex digits.
func HexUnquote(s string, mark byte) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == mark {
			if i+2 >= len(s) {
				return "", false
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
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

func unhex(c byte) (byte, bool) {
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

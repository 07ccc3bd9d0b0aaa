package smtpd

import (
	"strings"
	"unicode/utf8"
)

// cstr returns the bytes up to the first NUL, as C code sees a line.
func cstr(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// truncate limits s to n bytes (printf "%.Ns").
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// printable replaces non-printable characters with '?', keeping valid
// UTF-8 (Postfix's printable() with UTF-8 enabled).
func printable(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteByte('?')
		case r < 0x20 || r == 0x7f:
			b.WriteByte('?')
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

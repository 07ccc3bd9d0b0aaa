package stringops

import "strings"

// escapeCodes maps the letters after a backslash that unescape(3) turns
// into control characters.
var escapeCodes = map[byte]byte{'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v'}

// Unescape decodes C escapes as unescape(3) does: \a \b \f \n \r \t \v,
// one to three octal digits, and a backslash before any other byte for
// that byte; a backslash at the end is dropped. The input is a C
// string (it ends at its first NUL); a NUL made by \0 stays in the
// result, where C callers would see the end of the text.
func Unescape(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' {
			if i++; i == len(s) {
				break
			}
			c = s[i]
			if code, ok := escapeCodes[c]; ok {
				c = code
			} else if c >= '0' && c <= '7' {
				v := int(c - '0')
				for n := 0; n < 2 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7'; n++ {
					i++
					v = v<<3 | int(s[i]-'0')
				}
				c = byte(v)
			}
		}
		b = append(b, c)
	}
	return string(b)
}

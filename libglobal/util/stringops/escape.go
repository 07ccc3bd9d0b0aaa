package stringops

import "fmt"

// escapeLetters maps the control characters escape(3) writes as a
// backslash and a letter.
var escapeLetters = map[byte]byte{'\a': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v'}

// Escape shows bytes as C string escapes, as escape(3) does for log
// lines: printable ASCII as it is with a backslash doubled, \a \b \f \n
// \r \t \v by letter, any other byte as a three-digit octal escape.
func Escape(p []byte) string {
	out := make([]byte, 0, len(p))
	for _, c := range p {
		switch l, named := escapeLetters[c]; {
		case c == '\\':
			out = append(out, '\\', '\\')
		case c >= 0x20 && c < 0x7f:
			out = append(out, c)
		case named:
			out = append(out, '\\', l)
		default:
			out = fmt.Appendf(out, "\\%03o", c)
		}
	}
	return string(out)
}

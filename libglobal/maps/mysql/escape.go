package mysql

import "strings"

// escape quotes a string for a query as mysql_real_escape_string does
// on a server that accepts backslash escapes: NUL, newline, carriage
// return, backslash, both quotes and Control-Z get a backslash.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			b.WriteString(`\0`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\\', '\'', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case 0x1a:
			b.WriteString(`\Z`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

package main

import (
	"fmt"
	"strings"
)

// escape shows bytes as C string escapes for log lines (escape(3)):
// printable ASCII as is (a backslash doubled), \a \b \f \n \r \t \v,
// anything else as a three-digit octal escape.
func escape(p []byte) string {
	const named = "\a\b\f\n\r\t\v"
	const letters = "abfnrtv"
	out := make([]byte, 0, len(p))
	for _, c := range p {
		switch {
		case c == '\\':
			out = append(out, '\\', '\\')
		case c >= 0x20 && c < 0x7f:
			out = append(out, c)
		default:
			if i := strings.IndexByte(named, c); i >= 0 {
				out = append(out, '\\', letters[i])
			} else {
				out = fmt.Appendf(out, "\\%03o", c)
			}
		}
	}
	return string(out)
}

// escapeN escapes at most n bytes of p (PSC_SMTPD_ESCAPE_TEXT).
func escapeN(p []byte, n int) string { return escape(p[:min(len(p), n)]) }

package smtpreply

import (
	"strings"

	"gopostfix/libglobal/util/mac"
	"gopostfix/libglobal/util/stringops"
)

// Footer appends footer lines to an SMTP reply (smtp_reply_footer.c), as
// smtpd and postscreen do with their reject footers:
// each "\n" in the template starts another line with the last line's
// reply code and enhanced status code, a leading "\c" continues the last
// line instead, and $name macros are expanded with lookup, their values
// restricted to the filter bytes. The reply is returned unchanged (with
// ok false) when it is not a well-formed reply or the template does not
// expand.
func Footer(reply, template, filter string, lookup mac.Lookup, warn func(string)) (string, bool) {
	body, crlfAtEnd := reply, false
	lastCode := -1
	for off := 0; ; {
		line := body[off:]
		if len(line) < 4 || !isDigitByte(line[0]) || !isDigitByte(line[1]) || !isDigitByte(line[2]) || (line[3] != ' ' && line[3] != '-') {
			return reply, false
		}
		lastCode = off
		i := strings.Index(line, "\r\n")
		if i < 0 {
			break
		}
		off += i + 2
		if off == len(body) {
			crlfAtEnd = true
			body = body[:off-2]
			break
		}
	}
	if i := strings.IndexByte(body, 0); i >= 0 {
		body = body[:i]
	}
	code := body[lastCode : lastCode+3]
	dsn := ""
	if rest := body[lastCode+4:]; len(rest) > 0 {
		if d, _, ok := SplitDSN(rest); ok {
			dsn = d
		}
	}
	var b strings.Builder
	b.WriteString(body)
	added := false
	parts := strings.Split(template, `\n`)
	for i, part := range parts {
		if i == 0 && strings.HasPrefix(part, `\c`) {
			part = part[2:]
		} else {
			b.WriteString("\r\n" + code)
			if i < len(parts)-1 {
				b.WriteByte('-')
			} else {
				b.WriteByte(' ')
			}
			if dsn != "" {
				b.WriteString(dsn + " ")
			}
			added = true
		}
		text, err := mac.Expand(part, lookup, mac.Options{Filter: filter, Warn: warn})
		if err != nil {
			out := body
			if crlfAtEnd {
				out += "\r\n"
			}
			return out, false
		}
		b.WriteString(text)
	}
	out := b.String()
	if added {
		out = out[:lastCode+3] + "-" + out[lastCode+4:]
	}
	if crlfAtEnd {
		out += "\r\n"
	}
	return out, true
}

// ExpansionFilter is smtpd_expansion_filter (or postscreen_expansion_filter)
// as the servers apply it: C
// escapes decoded by unescape(3), and the result read as a C string, so
// that a NUL written as \0 ends the set of allowed bytes.
func ExpansionFilter(raw string) string {
	filter, _, _ := strings.Cut(stringops.Unescape(raw), "\x00")
	return filter
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

package tok822

import "strings"

// QuoteFlags control QuoteLocal, as Postfix's QUOTE_FLAG_* bits.
type QuoteFlags int

const (
	// Quote8BitClean treats 8-bit bytes as ordinary text (the default of
	// quote_822_local); without it they force quoting and are escaped.
	Quote8BitClean QuoteFlags = 1 << 0
	// QuoteExposeAt treats '@' in the local part as ordinary text.
	QuoteExposeAt QuoteFlags = 1 << 1
	// QuoteBareLocalpart says the input is a local part without @domain.
	QuoteBareLocalpart QuoteFlags = 1 << 3
)

// QuoteDefault is the flag set of plain quote_822_local.
const QuoteDefault = Quote8BitClean

// isDotString reports whether a local part is an RFC 822 dot-string:
// atoms separated by single dots.
func isDotString(lp string, flags QuoteFlags) bool {
	if lp == "" || lp[0] == '.' || lp[len(lp)-1] == '.' {
		return false
	}
	for i := 0; i < len(lp); i++ {
		c := lp[i]
		switch {
		case c == '.' && i+1 < len(lp) && lp[i+1] == '.':
			return false
		case c > 127:
			if flags&Quote8BitClean == 0 {
				return false
			}
		case c == ' ' || isCntrl(c):
			return false
		case c == '@':
			if flags&QuoteExposeAt == 0 {
				return false
			}
		case strings.IndexByte("()<>,;:\\\"[]", c) >= 0:
			return false
		}
	}
	return true
}

// QuoteLocal quotes the local part of an internal-form address for use in
// message headers: a local part that is not a dot-string becomes a quoted
// string; a leading source route ("@a,@b:") and the domain are left as
// they are (quote_822_local_flags).
func QuoteLocal(addr string, flags QuoteFlags) string {
	addr = cString(addr)
	start := 0
	if strings.HasPrefix(addr, "@") {
		if i := strings.IndexByte(addr, ':'); i >= 0 {
			start = i + 1
		}
	}
	end := len(addr)
	if flags&QuoteBareLocalpart == 0 {
		if i := strings.LastIndexByte(addr[start:], '@'); i >= 0 {
			end = start + i
		}
	}
	if isDotString(addr[start:end], flags) {
		return addr
	}
	var b strings.Builder
	b.WriteString(addr[:start])
	b.WriteByte('"')
	for i := start; i < end; i++ {
		c := addr[i]
		if (c > 127 && flags&Quote8BitClean == 0) || c == '"' || c == '\\' || c == '\r' {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	b.WriteString(addr[end:])
	return b.String()
}

// UnquoteLocal converts the local part of an external-form address to
// internal form: quotes and backslashes are removed up to the last
// unquoted '@'; a leading source route and the domain are kept as given
// (unquote_822_local).
func UnquoteLocal(addr string) string {
	addr = cString(addr)
	var b strings.Builder
	start := 0
	if strings.HasPrefix(addr, "@") {
		if i := strings.IndexByte(addr, ':'); i >= 0 {
			start = i + 1
			b.WriteString(addr[:start])
		}
	}
	inQuote := false
	atDst, atSrc := -1, 0
	for i := start; i < len(addr); i++ {
		c := addr[i]
		switch c {
		case '"':
			inQuote = !inQuote
			continue
		case '@':
			if !inQuote {
				atDst, atSrc = b.Len(), i
			}
		case '\\':
			if i+1 >= len(addr) {
				continue
			}
			i++
			c = addr[i]
		}
		b.WriteByte(c)
	}
	if atDst < 0 {
		return b.String()
	}
	return b.String()[:atDst] + addr[atSrc:]
}

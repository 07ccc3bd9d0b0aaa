package tok822

import "strings"

// Quote821Local quotes the local part of an address for use in an SMTP
// command (quote_821_local_flags): a local part that is not an RFC 821
// dot-string becomes a quoted string, with '"', '\\', CR and LF (and,
// without Quote8BitClean, 8-bit bytes) escaped; the domain after the
// last '@' is kept as it is.
func Quote821Local(addr string, flags QuoteFlags) string {
	addr = cString(addr)
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		at = len(addr)
	}
	local := addr[:at]
	// RFC 821's dot-string test is RFC 822's: the specials are the same.
	if isDotString(local, flags) {
		return addr
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(local); i++ {
		c := local[i]
		if (c > 127 && flags&Quote8BitClean == 0) || c == '\r' || c == '\n' || c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String() + addr[at:]
}

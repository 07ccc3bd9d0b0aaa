// Package smtpreply holds SMTP server replies as typed values: a three-digit
// code, an optional enhanced status code (RFC 3463) and text, formatted
// exactly as Postfix's smtpd and its helpers (smtpd_chat.c, smtp_reply_footer.c,
// dsn_util.c) put them on the wire.
//
// A Reply may carry several lines of text (separated by "\n"); on the wire
// every line but the last uses "CODE-" instead of "CODE ".
package smtpreply

import (
	"fmt"
	"strconv"
	"strings"
)

// Reply is one SMTP reply. DSN is empty for replies that Postfix sends
// without an enhanced status code (HELO/EHLO syntax, ETRN, greeting).
type Reply struct {
	Code int
	DSN  string
	Text string
}

// New formats a reply.
func New(code int, dsn, format string, args ...any) Reply {
	return Reply{Code: code, DSN: dsn, Text: fmt.Sprintf(format, args...)}
}

// String returns the reply as one line, "CODE DSN TEXT" or "CODE TEXT",
// with embedded newlines kept.
func (r Reply) String() string {
	if r.DSN == "" {
		return fmt.Sprintf("%d %s", r.Code, r.Text)
	}
	return fmt.Sprintf("%d %s %s", r.Code, r.DSN, r.Text)
}

// Lines returns the wire lines (without CRLF): each line of a multi-line
// text repeats the code (and DSN) with '-' after the code on all but the
// last line.
func (r Reply) Lines() []string {
	parts := strings.Split(r.Text, "\n")
	out := make([]string, len(parts))
	for i, p := range parts {
		sep := " "
		if i < len(parts)-1 {
			sep = "-"
		}
		if r.DSN == "" {
			out[i] = fmt.Sprintf("%d%s%s", r.Code, sep, p)
		} else {
			out[i] = fmt.Sprintf("%d%s%s %s", r.Code, sep, r.DSN, p)
		}
	}
	return out
}

// IsTemp and IsPerm classify the reply code.
func (r Reply) IsTemp() bool { return r.Code/100 == 4 }
func (r Reply) IsPerm() bool { return r.Code/100 == 5 }

// IsError reports a 4xx or 5xx reply.
func (r Reply) IsError() bool { return r.IsTemp() || r.IsPerm() }

// Hangup reports whether Postfix's smtpd ends the session after sending
// this reply (421 and 521).
func (r Reply) Hangup() bool { return r.Code == 421 || r.Code == 521 }

// ValidDSN reports whether s is an enhanced status code: class 2, 4 or 5,
// then 1-3 digits and 1-3 digits, dot separated (dsn_valid).
func ValidDSN(s string) bool {
	return dsnLen(s) == len(s) && len(s) > 0
}

// dsnLen returns the length of the enhanced status code at the start of
// s, or 0.
func dsnLen(s string) int {
	if len(s) < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.' {
		return 0
	}
	i := 2
	for k := 0; k < 2; k++ {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		if n == 0 || n > 3 {
			return 0
		}
		if k == 0 {
			if i >= len(s) || s[i] != '.' {
				return 0
			}
			i++
		}
	}
	return i
}

// SplitDSN splits an enhanced status code followed by a space or the end
// from the start of text, as Postfix's dsn_valid-based parsing does
// ("5.7.1 text" -> "5.7.1", "text").
func SplitDSN(text string) (dsn, rest string, ok bool) {
	n := dsnLen(text)
	if n == 0 || (n < len(text) && text[n] != ' ' && text[n] != '\t') {
		return "", text, false
	}
	return text[:n], strings.TrimLeft(text[n:], " \t"), true
}

// Parse splits "CODE[ DSN] TEXT" into a Reply. The code must be three
// digits followed by a space or the end.
func Parse(s string) (Reply, bool) {
	if len(s) < 3 || (len(s) > 3 && s[3] != ' ') {
		return Reply{}, false
	}
	code, err := strconv.Atoi(s[:3])
	if err != nil || code < 100 || code > 599 {
		return Reply{}, false
	}
	rest := ""
	if len(s) > 4 {
		rest = s[4:]
	}
	if dsn, text, ok := SplitDSN(rest); ok {
		return Reply{Code: code, DSN: dsn, Text: text}, true
	}
	return Reply{Code: code, Text: rest}, true
}

// FixClass forces the class digit of the DSN to the first digit of the
// reply code (smtpd's "DSN class must match the reply code" rule).
func (r Reply) FixClass() Reply {
	if r.DSN != "" && r.Code >= 400 && r.Code < 600 {
		r.DSN = string(byte('0'+r.Code/100)) + r.DSN[1:]
	}
	return r
}

// SoftBounce turns a 5xx reply into 4xx, as soft_bounce = yes does.
func (r Reply) SoftBounce() Reply {
	if r.Code/100 == 5 {
		r.Code -= 100
		if strings.HasPrefix(r.DSN, "5") {
			r.DSN = "4" + r.DSN[1:]
		}
	}
	return r
}

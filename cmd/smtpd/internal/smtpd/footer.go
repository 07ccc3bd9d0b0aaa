package smtpd

import (
	"strings"

	"gopostfix/libglobal/smtpreply"
	"gopostfix/libglobal/util/mac"
	"gopostfix/libglobal/util/stringops"
)

// rejectFooter returns a 4xx/5xx reply with the smtpd_reject_footer_maps
// or smtpd_reject_footer text added (smtpd_chat.c): the maps are searched
// with the whole reply text as the key, the parameter is the fallback.
func (ss *Session) rejectFooter(text string) string {
	if text == "" || (text[0] != '4' && text[0] != '5') {
		return text
	}
	footer := ""
	for _, spec := range ss.cfg.RejectFooterMaps {
		t, err := ss.openTable(spec)
		if err != nil {
			break
		}
		if v, found, err := t.Lookup(text); err == nil && found {
			footer = v
			break
		} else if err != nil {
			break
		}
	}
	if footer == "" {
		footer = ss.cfg.RejectFooter
	}
	if footer == "" {
		return text
	}
	out, _ := replyFooter(text, footer, ss.cfg.ExpandFilter, ss.expandLookup, func(s string) { ss.log.Warnf("%s", s) })
	return out
}

// replyFooter appends footer lines to an SMTP reply (smtp_reply_footer.c):
// each "\n" in the template starts another line with the last line's
// reply code and enhanced status code, a leading "\c" continues the last
// line instead, and $name macros are expanded with lookup, their values
// restricted to the filter bytes. The reply is returned unchanged (with
// ok false) when it is not a well-formed reply or the template does not
// expand.
func replyFooter(reply, template, filter string, lookup mac.Lookup, warn func(string)) (string, bool) {
	body, crlfAtEnd := reply, false
	lastCode := -1
	for off := 0; ; {
		line := body[off:]
		if len(line) < 4 || !isDigit(line[0]) || !isDigit(line[1]) || !isDigit(line[2]) || (line[3] != ' ' && line[3] != '-') {
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
		if d, _, ok := smtpreply.SplitDSN(rest); ok {
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

// expandLookup is smtpd_expand_lookup: the session attributes a reply
// footer may name. Unknown names are reported and expand to nothing.
func (ss *Session) expandLookup(name string) (string, bool) {
	addr := func(a string, isSet bool, suffix string) (string, bool) {
		if !isSet {
			return "", true
		}
		switch suffix {
		case "":
			if a == "" {
				return "<>", true
			}
			return a, true
		case "_name":
			if a == "" {
				return "<>", true
			}
			if i := strings.LastIndexByte(a, '@'); i >= 0 {
				return a[:i], true
			}
			return a, true
		case "_domain":
			if i := strings.LastIndexByte(a, '@'); a != "" && i >= 0 {
				return a[i+1:], true
			}
			return "", true
		}
		ss.log.Warnf("unknown macro name \"%s\" in expansion request", name)
		return "", false
	}
	switch name {
	case "server_name":
		return ss.cfg.MyHostname, true
	case "client":
		return ss.namaddr, true
	case "client_port":
		return ss.client.Port, true
	case "client_address":
		return ss.client.Addr, true
	case "client_name":
		return ss.client.Name, true
	case "reverse_client_name":
		return ss.client.ReverseName, true
	case "helo_name":
		return ss.heloName, true
	case "localtime":
		return ss.deps.Now().Format("Jan 02 15:04:05"), true
	}
	if strings.HasPrefix(name, "sender") {
		return addr(ss.sender, ss.inMail, name[len("sender"):])
	}
	if strings.HasPrefix(name, "recipient") {
		return addr(ss.recipient, ss.recipient != "", name[len("recipient"):])
	}
	ss.log.Warnf("unknown macro name \"%s\" in expansion request", name)
	return "", false
}

// expansionFilter is smtpd_expansion_filter as smtpd applies it: C
// escapes decoded by unescape(3), and the result read as a C string, so
// that a NUL written as \0 ends the set of allowed bytes.
func expansionFilter(raw string) string {
	filter, _, _ := strings.Cut(stringops.Unescape(raw), "\x00")
	return filter
}

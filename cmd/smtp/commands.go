package main

import (
	"fmt"
	"strings"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/xtext"
)

// mailCommand builds MAIL FROM with its ESMTP parameters.
func (st *state) mailCommand() string {
	s, req, cfg := st.sess, st.req, st.ag.cfg
	var b strings.Builder
	fmt.Fprintf(&b, "MAIL FROM:<%s>", st.quote821(st.ag.generic.envelope(req.Sender)))
	if s.features&featSize != 0 && !st.downgrading() {
		fmt.Fprintf(&b, " SIZE=%d", req.DataSize)
	}
	if s.features&feat8BitMIME != 0 {
		switch req.Encoding {
		case "8bit":
			b.WriteString(" BODY=8BITMIME")
		case "7bit":
			b.WriteString(" BODY=7BIT")
		case "":
		default:
			st.ag.log.Warnf("%s: unknown content encoding: %s", req.QueueID, req.Encoding)
		}
	}
	if s.features&featDSN != 0 {
		if req.EnvID != "" {
			b.WriteString(" ENVID=" + xtext.Quote(req.EnvID, "+="))
		}
		switch req.Ret {
		case deliver.RetFull:
			b.WriteString(" RET=FULL")
		case deliver.RetHdrs:
			b.WriteString(" RET=HDRS")
		}
	}
	if s.features&featSMTPUTF8 != 0 && req.SMTPUTF8&1 != 0 {
		b.WriteString(" SMTPUTF8")
	}
	if cfg.sasl.enable && cfg.sasl.dummyMailAuth && s.features&featAuth != 0 {
		b.WriteString(" AUTH=<>")
	}
	return b.String()
}

// rcptCommand builds RCPT TO with ORCPT and NOTIFY.
func (st *state) rcptCommand(r *rcpt) string {
	s, req := st.sess, st.req
	var b strings.Builder
	fmt.Fprintf(&b, "RCPT TO:<%s>", st.quote821(st.ag.generic.envelope(r.Address)))
	if s.features&featDSN != 0 {
		orcpt := r.DSNOrcpt
		if orcpt == "" && r.OrigAddr != "" {
			q := tok822.QuoteLocal(r.OrigAddr, tok822.QuoteDefault)
			typ := "rfc822"
			if req.SMTPUTF8 != 0 && !isASCII(q) {
				typ = "utf-8"
			}
			orcpt = typ + ";" + q
		}
		if orcpt != "" {
			if len(orcpt) >= 6 && strings.EqualFold(orcpt[:6], "utf-8;") {
				if q, ok := xtext.UQuote(orcpt, "+="); ok {
					b.WriteString(" ORCPT=" + q)
				}
			} else {
				b.WriteString(" ORCPT=" + xtext.Quote(orcpt, "="))
			}
		}
		if r.DSNNotify != 0 {
			b.WriteString(" NOTIFY=" + notifyString(r.DSNNotify))
		}
	}
	return b.String()
}

// quote821 quotes an envelope address (smtp_quote_821_address).
func (st *state) quote821(addr string) string {
	if addr == "" || !st.ag.cfg.quoteRFC821 {
		return addr
	}
	return quote821Local(addr)
}

// quote821Local is quote_821_local: a local part that is not an RFC 821
// dot-string becomes a quoted string.
func quote821Local(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		at = len(addr)
	}
	local := addr[:at]
	dot := local != "" && local[0] != '.' && local[len(local)-1] != '.'
	for i := 0; dot && i < len(local); i++ {
		c := local[i]
		if (c == '.' && i+1 < len(local) && local[i+1] == '.') || c == ' ' || c < 32 || c == 127 ||
			strings.IndexByte("<>()[]\\,;:@\"", c) >= 0 {
			dot = false
		}
	}
	if dot {
		return addr
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(local); i++ {
		if c := local[i]; c == '\r' || c == '\n' || c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(local[i])
	}
	b.WriteByte('"')
	return b.String() + addr[at:]
}

// notifyString is dsn_notify_str.
func notifyString(mask int) string {
	var out []string
	for _, n := range []struct {
		name string
		bit  int
	}{{"NEVER", deliver.NotifyNever}, {"SUCCESS", deliver.NotifySuccess}, {"FAILURE", deliver.NotifyFailure}, {"DELAY", deliver.NotifyDelay}} {
		if mask&n.bit != 0 {
			out = append(out, n.name)
		}
	}
	return strings.Join(out, ",")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

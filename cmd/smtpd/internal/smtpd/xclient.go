package smtpd

import (
	"net/netip"
	"strings"
)

// abortRestart restarts the session after a successful XCLIENT.
const abortRestart abort = 100

// xclientCmd is XCLIENT: an authorized proxy replaces the client identity;
// the session then starts over with a new greeting.
func (ss *Session) xclientCmd(argv []token) bool {
	switch {
	case ss.inMail:
		ss.reply("503 5.5.1 Error: MAIL transaction in progress")
		return false
	case len(argv) < 2:
		ss.reply("501 5.5.4 Syntax: XCLIENT attribute=value...")
		return false
	case !ss.xclientOK:
		ss.reply("550 5.7.0 Error: insufficient authorization")
		return false
	}
	c := ss.client
	gotHelo, gotProto := false, false
	helo, proto := ss.heloName, ss.protocol
	for _, t := range argv[1:] {
		name, raw, ok := strings.Cut(t.val, "=")
		if !ok || raw == "" {
			ss.reply("501 5.5.4 Error: attribute=value expected")
			return false
		}
		value, ok := xtextUnquote(raw)
		if !ok {
			value = raw
		}
		if len(value) > 255 {
			ss.reply("501 5.5.4 Error: attribute value too long")
			return false
		}
		unavailable := strings.EqualFold(value, "[UNAVAILABLE]")
		temporary := strings.EqualFold(value, "[TEMPUNAVAIL]")
		bad := func(attr string) bool {
			ss.replyf("501 5.5.4 Bad %s syntax: %s", attr, value)
			return false
		}
		switch strings.ToUpper(name) {
		case "NAME", "REVERSE_NAME":
			v := value
			switch {
			case unavailable, temporary:
				v = "unknown"
			case !validHostname(value):
				return bad(strings.ToUpper(name))
			}
			if strings.EqualFold(name, "NAME") {
				c.Name = v
			} else {
				c.ReverseName = v
			}
		case "ADDR":
			v, ok := attrAddr(value, unavailable)
			if !ok {
				return bad("ADDR")
			}
			c.Addr = v
		case "PORT":
			v, ok := attrPort(value, unavailable)
			if !ok {
				return bad("PORT")
			}
			c.Port = v
		case "PROTO":
			switch strings.ToUpper(value) {
			case "SMTP", "ESMTP":
				proto = strings.ToUpper(value)
				gotProto = true
			default:
				return bad("PROTO")
			}
		case "HELO":
			gotHelo = true
			if unavailable {
				helo = ""
			} else {
				helo = neuter(printable(value))
			}
		case "LOGIN":
			// Without SASL support there is no login to set.
		case "DESTADDR":
			if unavailable {
				c.ServerAddr = "unknown"
				break
			}
			a, err := netip.ParseAddr(neuter(value))
			if err != nil {
				return bad("DESTADDR")
			}
			c.ServerAddr = a.String()
		case "DESTPORT":
			if unavailable {
				c.ServerPort = "unknown"
				break
			}
			if !allDigits(value) || len(value) > 5 {
				return bad("DESTPORT")
			}
			c.ServerPort = value
		default:
			ss.replyf("501 5.5.4 Bad XCLIENT attribute name: %s", name)
			return false
		}
	}
	// XFORWARD permission stays as it was for the real client.
	xforwardOK := ss.xforwardOK
	ss.setClient(c)
	ss.xforwardOK = xforwardOK
	ss.heloName = ""
	if gotHelo {
		ss.heloName = helo
	}
	ss.protocol = "SMTP"
	if gotProto {
		ss.protocol = proto
	}
	ss.mailReset()
	panic(abortRestart)
}

package smtpd

import (
	"net/netip"
	"strings"
)

// xforwardAttrs are the XFORWARD values of the current transaction.
type xforwardAttrs struct {
	name, addr, port, proto, helo, ident, domain string
}

// namaddr is the forwarded client as "name[addr]".
func (x *xforwardAttrs) namaddr() string {
	if x.name == "" && x.addr == "" {
		return ""
	}
	return forward(x.name, "unknown") + "[" + forward(x.addr, "unknown") + "]"
}

// xforwardCmd is XFORWARD: an authorized proxy tells us the original
// client, for logging and the queue file only.
func (ss *Session) xforwardCmd(argv []token) bool {
	switch {
	case ss.inMail:
		ss.reply("503 5.5.1 Error: MAIL transaction in progress")
		return false
	case len(argv) < 2:
		ss.reply("501 5.5.4 Syntax: XFORWARD attribute=value...")
		return false
	case !ss.xforwardOK:
		ss.reply("550 5.7.0 Error: insufficient authorization")
		return false
	}
	x := ss.xforward
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
		bad := func(attr string) bool {
			ss.replyf("501 5.5.4 Bad %s syntax: %s", attr, value)
			return false
		}
		switch strings.ToUpper(name) {
		case "NAME":
			switch {
			case unavailable:
				x.name = "unknown"
			case !validHostname(value):
				return bad("NAME")
			default:
				x.name = value
			}
		case "ADDR":
			v, ok := attrAddr(value, unavailable)
			if !ok {
				return bad("ADDR")
			}
			x.addr = v
		case "PORT":
			v, ok := attrPort(value, unavailable)
			if !ok {
				return bad("PORT")
			}
			x.port = v
		case "PROTO":
			if unavailable {
				x.proto = ""
			} else {
				x.proto = neuter(printable(value))
			}
		case "HELO":
			if unavailable {
				x.helo = ""
			} else {
				x.helo = neuter(printable(value))
			}
		case "IDENT":
			if unavailable {
				x.ident = ""
			} else {
				x.ident = neuter(printable(value))
			}
		case "SOURCE":
			switch strings.ToUpper(value) {
			case "LOCAL":
				x.domain = "local"
			case "REMOTE":
				x.domain = "remote"
			default:
				if !unavailable {
					return bad("SOURCE")
				}
			}
		default:
			ss.replyf("501 5.5.4 Bad XFORWARD attribute name: %s", name)
			return false
		}
	}
	ss.xforward = x
	ss.reply("250 2.0.0 Ok")
	return true
}

// attrAddr checks an XCLIENT/XFORWARD ADDR value ([UNAVAILABLE], an IPv4
// address or an IPv6 address with optional "IPv6:" prefix).
func attrAddr(value string, unavailable bool) (string, bool) {
	if unavailable {
		return "unknown", true
	}
	if len(value) > 5 && strings.EqualFold(value[:5], "IPv6:") {
		value = value[5:]
	}
	a, err := netip.ParseAddr(value)
	if err != nil {
		return "", false
	}
	return a.String(), true
}

// attrPort checks an XCLIENT/XFORWARD port value.
func attrPort(value string, unavailable bool) (string, bool) {
	if unavailable {
		return "unknown", true
	}
	if !allDigits(value) || len(value) > 5 {
		return "", false
	}
	return value, true
}

package smtpd

import (
	"net/netip"
	"strings"

	"gopostfix/libglobal/util/validhost"
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
	if !ss.xcommandStart("XFORWARD", len(argv), ss.xforwardOK) {
		return false
	}
	x := ss.xforward
	for _, t := range argv[1:] {
		name, value, ok := ss.xattr(t.val)
		if !ok {
			return false
		}
		unavailable := strings.EqualFold(value, "[UNAVAILABLE]")
		bad := func(attr string) bool {
			ss.errMask |= errProtocol
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
			ss.errMask |= errProtocol
			ss.replyf("501 5.5.4 Bad XFORWARD attribute name: %s", name)
			return false
		}
	}
	ss.xforward = x
	ss.reply("250 2.0.0 Ok")
	return true
}

// xcommandStart is what XCLIENT and XFORWARD check before their
// attributes: no MAIL transaction, at least one attribute, a client
// allowed to send verb. It returns false after replying.
func (ss *Session) xcommandStart(verb string, argc int, allowed bool) bool {
	switch {
	case ss.inMail:
		ss.errMask |= errProtocol
		ss.reply("503 5.5.1 Error: MAIL transaction in progress")
		return false
	case argc < 2:
		ss.errMask |= errProtocol
		ss.replyf("501 5.5.4 Syntax: %s attribute=value...", verb)
		return false
	case !allowed:
		ss.errMask |= errPolicy
		ss.reply("550 5.7.0 Error: insufficient authorization")
		return false
	}
	return true
}

// xattr splits one XCLIENT or XFORWARD attribute into its name and its
// xtext-decoded value; as in Postfix the 255-byte limit applies to the
// value as sent, before decoding. It returns false after replying.
func (ss *Session) xattr(tok string) (name, value string, ok bool) {
	name, raw, found := strings.Cut(tok, "=")
	switch {
	case !found || raw == "":
		ss.errMask |= errProtocol
		ss.reply("501 5.5.4 Error: attribute=value expected")
		return "", "", false
	case len(raw) > 255:
		ss.errMask |= errProtocol
		ss.reply("501 5.5.4 Error: attribute value too long")
		return "", "", false
	}
	if value, ok = xtextUnquote(raw); !ok {
		value = raw
	}
	return name, value, true
}

// attrAddr checks an XCLIENT ADDR or DESTADDR or an XFORWARD ADDR value
// as normalize_mailhost_addr does: [UNAVAILABLE], an IPv4 address, or an
// IPv6 address behind "IPv6:" (valid_mailhost_addr), printed in its
// normal form.
//
// Difference: IPv4 fields with leading zeros pass the syntax check but
// are refused here, where Postfix reads them as octal numbers.
func attrAddr(value string, unavailable bool) (string, bool) {
	if unavailable {
		return "unknown", true
	}
	bare, ok := validhost.MailhostAddr(value)
	if !ok {
		return "", false
	}
	a, err := netip.ParseAddr(bare)
	if err != nil {
		return "", false
	}
	return a.Unmap().String(), true
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

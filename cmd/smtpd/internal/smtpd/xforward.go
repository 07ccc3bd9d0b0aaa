package smtpd

import "strings"

// xforwardAttrs are the XFORWARD values of the current transaction, as
// Postfix keeps them: the first XFORWARD sets every client attribute to
// "unknown" (smtpd_xforward_preset), and once any client attribute
// (NAME, ADDR, PORT, PROTO, HELO) has come, all the logged client
// attributes are the forwarded ones. helo, ident and domain stay empty
// until given.
type xforwardAttrs struct {
	preset, client                            bool
	name, addr, rfcAddr, port, proto, namaddr string
	helo, ident, domain                       string
}

// forwardOr is the forwarded client attribute v when client attributes
// were forwarded, else the session's own.
func (x *xforwardAttrs) forwardOr(v, own string) string {
	if x.client {
		return v
	}
	return own
}

// xforwardCmd is XFORWARD: an authorized proxy tells us the original
// client, for logging and the queue file only. Values are xtext decoded,
// made printable and (but for PORT and SOURCE) neutered; the replies
// show them so.
func (ss *Session) xforwardCmd(argv []token) bool {
	if !ss.xcommandStart("XFORWARD", len(argv), ss.xforwardOK) {
		return false
	}
	x := ss.xforward
	if !x.preset {
		x = xforwardAttrs{preset: true, name: "unknown", addr: "unknown", rfcAddr: "unknown", port: "unknown",
			proto: "unknown", namaddr: "unknown"}
	}
	namaddr := false
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
			x.name = "unknown"
			if !unavailable {
				value = neuter(value)
				if !validHostname(value) {
					return bad("NAME")
				}
				x.name = value
			}
		case "ADDR":
			x.addr, x.rfcAddr = "unknown", "unknown"
			if !unavailable {
				value = neuter(value)
				if x.addr, ok = ss.attrAddr(value); !ok {
					return bad("ADDR")
				}
				x.rfcAddr = rfcAddrOf(x.addr)
			}
		case "PORT":
			v, ok := attrPort(value)
			if !ok {
				return bad("PORT")
			}
			x.port = v
		case "PROTO":
			switch {
			case unavailable:
				x.proto = "unknown"
			case len(value) > 64:
				return bad("PROTO")
			default:
				x.proto = neuter(value)
			}
		case "HELO", "IDENT":
			v := ""
			if !unavailable {
				v = neuter(value)
			}
			if strings.EqualFold(name, "HELO") {
				x.helo = v
			} else {
				x.ident = v
			}
		case "SOURCE":
			switch strings.ToUpper(value) {
			case "LOCAL", "[UNAVAILABLE]":
				x.domain = "local"
			case "REMOTE":
				x.domain = "remote"
			default:
				return bad("SOURCE")
			}
		default:
			ss.errMask |= errProtocol
			ss.replyf("501 5.5.4 Bad XFORWARD attribute name: %s", name)
			return false
		}
		switch strings.ToUpper(name) {
		case "NAME", "ADDR", "PORT":
			namaddr = true
			x.client = true
		case "PROTO", "HELO":
			x.client = true
		}
	}
	if namaddr {
		// Without an address, the name alone.
		x.namaddr = x.name
		if x.addr != "unknown" {
			x.namaddr = ss.buildNamaddr(x.name, x.addr, x.port)
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
// xtext-decoded value, with non-printable characters as '?'; as in Postfix the 255-byte limit applies to the
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
	return name, printable(value), true
}

package smtpd

import "strings"

// abortRestart restarts the session after a successful XCLIENT.
const abortRestart abort = 100

// xclientCmd is XCLIENT: an authorized proxy replaces the client identity;
// the session then starts over with a new greeting.
func (ss *Session) xclientCmd(argv []token) bool {
	if !ss.xcommandStart("XCLIENT", len(argv), ss.xclientOK) {
		return false
	}
	c := ss.client
	gotHelo, gotProto := false, false
	helo, proto := ss.heloName, ss.protocol
	for _, t := range argv[1:] {
		name, value, ok := ss.xattr(t.val)
		if !ok {
			return false
		}
		unavailable := strings.EqualFold(value, "[UNAVAILABLE]")
		temporary := strings.EqualFold(value, "[TEMPUNAVAIL]")
		bad := func(attr string) bool {
			ss.errMask |= errProtocol
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
			v, ok := attrAddr(value, unavailable)
			if !ok {
				return bad("DESTADDR")
			}
			c.ServerAddr = v
		case "DESTPORT":
			v, ok := attrPort(value, unavailable)
			if !ok {
				return bad("DESTPORT")
			}
			c.ServerPort = v
		default:
			ss.errMask |= errProtocol
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

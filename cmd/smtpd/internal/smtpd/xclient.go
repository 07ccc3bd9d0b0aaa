package smtpd

import "strings"

// abortRestart restarts the session after a successful XCLIENT.
const abortRestart abort = 100

// xclientCmd is XCLIENT: an authorized proxy replaces the client identity;
// the session then starts over with a new greeting. Values are xtext
// decoded and made printable; addresses and the HELO name are neutered
// (the replies show them so); "[UNAVAILABLE]" and "[TEMPUNAVAIL]" names
// are "unknown" with a permanent or temporary lookup status, as
// reject_unknown_client_hostname then sees them.
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
		bad := func(attr string) bool {
			ss.errMask |= errProtocol
			ss.replyf("501 5.5.4 Bad %s syntax: %s", attr, value)
			return false
		}
		switch strings.ToUpper(name) {
		case "NAME", "REVERSE_NAME":
			v, status := value, peerCode(value)
			if status != PeerOK {
				v = "unknown"
			} else if !validHostname(value) {
				return bad(strings.ToUpper(name))
			}
			if strings.EqualFold(name, "REVERSE_NAME") {
				c.ReverseName, c.ReverseNameStatus = v, status
				break
			}
			// A known name is the reverse name as well.
			c.Name, c.NameStatus = v, status
			if status == PeerOK {
				c.ReverseName, c.ReverseNameStatus = v, status
			}
		case "ADDR", "DESTADDR":
			v := "unknown"
			if !unavailable {
				value = neuter(value)
				if v, ok = ss.attrAddr(value); !ok {
					return bad(strings.ToUpper(name))
				}
			}
			if strings.EqualFold(name, "ADDR") {
				c.Addr = v
			} else {
				c.ServerAddr = v
			}
		case "PORT", "DESTPORT":
			v, ok := attrPort(value)
			if !ok {
				return bad(strings.ToUpper(name))
			}
			if strings.EqualFold(name, "PORT") {
				c.Port = v
			} else {
				c.ServerPort = v
			}
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
			switch {
			case unavailable:
				helo = ""
			case len(value) > 255:
				return bad("HELO")
			default:
				helo = neuter(value)
			}
		case "LOGIN":
			// Without SASL support there is no login to set.
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
	if !gotHelo {
		ss.milterHeloReset()
	}
	ss.heloName = ""
	if gotHelo {
		ss.heloName = helo
	}
	ss.protocol = "SMTP"
	if gotProto {
		ss.protocol = proto
	}
	ss.mailReset()
	// The Milters see the end of this session and, after the restart,
	// the connection of the client XCLIENT named.
	ss.milterDisconnect()
	ss.teardownMilters()
	ss.setupMilters()
	panic(abortRestart)
}

// peerCode is the lookup status an XCLIENT NAME or REVERSE_NAME value
// stands for.
func peerCode(value string) int {
	switch {
	case strings.EqualFold(value, "[UNAVAILABLE]"):
		return PeerPerm
	case strings.EqualFold(value, "[TEMPUNAVAIL]"):
		return PeerTemp
	}
	return PeerOK
}

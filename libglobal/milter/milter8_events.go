package milter

import (
	"encoding/binary"
	"strconv"
)

// Family is the client's address family for ConnEvent.
type Family int

const (
	// FamilyUnspec is a client of unknown kind (SMFIA_UNKNOWN: only the
	// host name is sent).
	FamilyUnspec Family = iota
	// FamilyInet is IPv4.
	FamilyInet
	// FamilyInet6 is IPv6.
	FamilyInet6
	// FamilyUnix is a local socket (sent with port 0).
	FamilyUnix
)

func cstrings(ss ...string) []byte {
	var b []byte
	for _, s := range ss {
		b = append(append(b, s...), 0)
	}
	return b
}

func (m *milter8) connEvent(name, addr, port string, fam Family, macros []string) string {
	switch m.state {
	case statError:
		return m.defReply
	case statReady:
	default:
		return m.defReply
	}
	p := 0
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || !allDigits(port) || n > 65535 {
			m.log.Warnf("milter %s: bad client port number %s", m.name, port)
			n = 0
		}
		p = n
	}
	m.state = statEnvelope
	// Postfix's "unknown" name with a known address becomes "[addr]".
	smName := name
	if name == "unknown" && addr != "unknown" {
		smName = "[" + addr + "]"
	}
	data := cstrings(smName)
	switch fam {
	case FamilyInet, FamilyInet6, FamilyUnix:
		f := byte(famInet)
		if fam == FamilyInet6 {
			f = famInet6
		} else if fam == FamilyUnix {
			f, p = famUnix, 0
		}
		data = append(data, f)
		data = binary.BigEndian.AppendUint16(data, uint16(p))
		data = append(data, cstrings(addr)...)
	default:
		data = append(data, famUnknown)
	}
	return m.event(cmdConnect, pNoConnect, m.evMask&pNRConn != 0, macros, data)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// inEnvelope reports whether the milter takes envelope events; the
// states that don't answer with the persistent reply.
func (m *milter8) inEnvelope(acceptMsgToo bool) bool {
	return m.state == statEnvelope || (acceptMsgToo && m.state == statAcceptMsg)
}

func (m *milter8) heloEvent(helo string, macros []string) string {
	if !m.inEnvelope(true) {
		return m.defReply
	}
	return m.event(cmdHelo, pNoHelo, m.evMask&pNRHelo != 0, macros, cstrings(helo))
}

func (m *milter8) mailEvent(args []string, macros []string) string {
	if !m.inEnvelope(false) {
		return m.defReply
	}
	return m.event(cmdMail, pNoMail, m.evMask&pNRMail != 0, macros, cstrings(args...))
}

func (m *milter8) rcptEvent(args []string, macros []string) string {
	if !m.inEnvelope(false) {
		return m.defReply
	}
	return m.event(cmdRcpt, pNoRcpt, m.evMask&pNRRcpt != 0, macros, cstrings(args...))
}

func (m *milter8) dataEvent(macros []string) string {
	if !m.inEnvelope(false) {
		return m.defReply
	}
	return m.event(cmdData, pNoData, m.evMask&pNRData != 0, macros, nil)
}

func (m *milter8) unknownEvent(command string, macros []string) string {
	if !m.inEnvelope(false) {
		return m.defReply
	}
	return m.event(cmdUnknown, pNoUnknown, m.evMask&pNRUnkn != 0, macros, cstrings(command))
}

func (m *milter8) abort() {
	switch m.state {
	case statEnvelope, statMessage, statAcceptMsg:
		m.writeCmd(cmdAbort, nil)
		if m.state != statError {
			m.state = statEnvelope
		}
	}
}

func (m *milter8) discEvent() {
	switch m.state {
	case statClosed, statReady:
		return
	case statEnvelope, statMessage, statAcceptMsg:
		m.writeCmd(cmdQuit, nil)
	}
	m.closeStream()
	m.defReply = ""
}

// active reports whether the milter still wants events (sent to cleanup).
func (m *milter8) active() bool {
	return m.nc != nil && (m.state == statEnvelope || m.state == statReady)
}

package milter

import (
	"bytes"
	"strings"
)

// event sends one event with its macros and reads the reply or replies
// (milter8_event). skipFlag is the SMFIP_NO* bit of the event (0 for
// none), skipReply says that the milter negotiated not to reply.
func (m *milter8) event(cmd byte, skipFlag uint32, skipReply bool, macros []string, data []byte) string {
	if m.nc == nil || m.defReply != "" {
		m.log.Warnf("milter8_event: attempt to send event %s to milter %s after error", cmdName(cmd), m.name)
		return m.defReply
	}
	if skipFlag&m.npMask != 0 {
		return m.defReply
	}
	if m.skipEvent != 0 {
		if cmd == m.skipEvent {
			return m.defReply
		}
		m.skipEvent = 0
	}
	if macros != nil {
		d := []byte{cmd}
		for _, s := range macros {
			d = append(append(d, s...), 0)
		}
		if m.writeCmd(cmdMacro, d) {
			return m.defReply
		}
	}
	if skipFlag&m.evMask != 0 {
		return m.defReply
	}
	if m.writeCmd(cmd, data) {
		return m.defReply
	}
	if skipReply {
		return m.defReply
	}
	return m.replies(cmd, len(data))
}

// inConnect tells the events whose final replies end the connection.
func inConnect(cmd byte) bool { return cmd == cmdConnect || cmd == cmdHelo }

// replies reads replies until a final one; at end of body it passes the
// modification requests to the editor (the reply loop of milter8_event).
func (m *milter8) replies(event byte, eventLen int) string {
	ed := m.parent.editor
	var editResp string
	var body *bodyReplacer
	lockout := false
	retval := ""
	for done := false; !done; {
		cmd, left, ok := m.readResp(event)
		if !ok {
			retval = m.defReply
			break
		}
		if body != nil && cmd != repReplBody {
			if editResp == "" {
				editResp = body.finish()
			}
			body = nil
			lockout = true
		}
		extra := false
		switch cmd {
		case repProgress:
			extra = left != 0
		case repContinue:
			if extra = left != 0; !extra {
				retval, done = m.defReply, true
			}
		case repAccept:
			if extra = left != 0; !extra {
				if inConnect(event) {
					m.closeStream()
					m.state = statAcceptCon
				} else {
					m.state = statAcceptMsg
				}
				retval, done = m.defReply, true
			}
		case repDiscard:
			if extra = left != 0; !extra {
				if inConnect(event) {
					m.log.Warnf("milter %s: DISCARD action is not allowed for connect or helo", m.name)
					retval = m.defReply
				} else {
					m.state = statAcceptMsg
					retval = "D"
				}
				done = true
			}
		case repReject:
			if extra = left != 0; !extra {
				retval, done = m.finalReply(event, "550 5.7.1 Command rejected"), true
			}
		case repTempfail:
			if extra = left != 0; !extra {
				retval, done = m.finalReply(event, "451 4.7.1 Service unavailable - try again later"), true
			}
		case repShutdown:
			if extra = left != 0; !extra {
				m.closeStream()
				m.state = statRejectCon
				m.defReply = "S"
				retval, done = "S", true
			}
		case repReplyCode:
			retval, done = m.replyCode(event, left), true
		case repQuarantine:
			if _, ok := m.readBuffer(&left); !ok {
				retval, done = m.defReply, true
				break
			}
			m.defReply = "H"
		case repSkip:
			if extra = left != 0; !extra {
				m.skipEvent = event
				retval, done = m.defReply, true
			}
		default:
			if event == cmdEOB && isEdit(cmd) {
				if cmd == repReplBody {
					if lockout {
						m.log.Warnf("milter %s: body replacement requests can't currently be mixed with other requests", m.name)
						m.confError()
						retval, done = m.defReply, true
						break
					}
					chunk, ok := m.readBuffer(&left)
					if !ok {
						retval, done = m.defReply, true
						break
					}
					if editResp != "" {
						break
					}
					if body == nil {
						body = &bodyReplacer{ed: ed, limit: m.parent.lineLimit}
						editResp = ed.ReplBody(BodyStart, 0, nil)
					}
					if editResp == "" {
						editResp = body.add(chunk)
					}
					break
				}
				var stop bool
				editResp, stop = m.edit(cmd, left, ed, editResp)
				if stop {
					retval, done = m.defReply, true
				}
				break
			}
			m.log.Warnf("milter %s: unexpected filter response %s after event %s", m.name, repName(cmd), cmdName(event))
			m.commError()
			retval, done = m.defReply, true
		}
		if extra {
			m.log.Warnf("milter %s: reply %s was followed by %d data bytes", m.name, repNameOr(cmd, "unknown"), eventLen)
			m.commError()
			retval, done = m.defReply, true
		}
	}
	if editResp != "" && (retval == "" || !strings.ContainsRune("DS4", rune(retval[0]))) {
		retval = editResp
	}
	return retval
}

func repName(c byte) string { return repNameOr(c, "(unknown filter reply)") }

func repNameOr(c byte, unknown string) string {
	if s, ok := repNames[c]; ok {
		return s
	}
	return unknown
}

func isEdit(c byte) bool {
	switch c {
	case repChgHeader, repAddHeader, repInsHeader, repChgFrom, repAddRcpt, repAddRcptPar, repDelRcpt, repReplBody:
		return true
	}
	return false
}

// finalReply is a reject or tempfail; at connect or HELO it also ends
// the milter's part in the connection.
func (m *milter8) finalReply(event byte, reply string) string {
	if inConnect(event) {
		m.closeStream()
		m.state = statRejectCon
		m.defReply = reply
	}
	return reply
}

// replyCode checks and cleans an SMFIR_REPLYCODE text.
func (m *milter8) replyCode(event byte, left int64) string {
	raw, ok := m.readBuffer(&left)
	if !ok {
		return m.defReply
	}
	// The C code sees the text up to its first NUL.
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		raw = raw[:i]
	}
	at := func(i int) byte {
		if i < len(raw) {
			return raw[i]
		}
		return 0
	}
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	if (at(0) != '4' && at(0) != '5') || !isDigit(at(1)) || !isDigit(at(2)) ||
		(at(3) != ' ' && at(3) != '-') || (isDigit(at(4)) && at(4) != at(0)) {
		m.log.Warnf("milter %s: malformed reply: %s", m.name, raw)
		m.confError()
		return m.defReply
	}
	text := percentUnescape(raw)
	if m.parent.softBounce {
		text = softBounce(text)
	}
	if inConnect(event) {
		m.closeStream()
		m.state = statRejectCon
		m.defReply = string(text)
	}
	return string(text)
}

// percentUnescape turns "%%" into "%" and drops single '%' characters
// (Sendmail uses the reply as a format string).
func percentUnescape(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '%' {
			i++
			if i >= len(b) {
				break
			}
		}
		out = append(out, b[i])
	}
	return out
}

// softBounce makes every line of a 5xx reply a 4xx one.
func softBounce(b []byte) []byte {
	for cp := 0; ; {
		if cp < len(b) && b[cp] == '5' {
			b[cp] = '4'
			if cp+4 < len(b) && b[cp+4] == '5' {
				b[cp+4] = '4'
			}
		}
		i := bytes.Index(b[cp:], []byte("\r\n"))
		if i < 0 {
			return b
		}
		cp += i + 2
	}
}

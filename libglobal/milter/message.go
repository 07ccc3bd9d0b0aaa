package milter

import (
	"errors"
	"io"
	"os"
	"syscall"

	"gopostfix/libglobal/record"
)

// Message sends the message content of an open queue file to each milter
// in turn, starting at dataOffset (the first content record after the
// 'M' record), and returns the first non-empty result. Modification
// requests go to the Editor as each milter finishes, so the next milter
// reads the file as the previous one left it. autoHeaders are header
// texts the MTA added itself (smtpd's Received:, lines joined with "\n");
// each is hidden from the milters once. qf's file offset is left
// wherever reading stopped.
func (ms *Milters) Message(qf *os.File, dataOffset int64, autoHeaders []string) string {
	eoh := macroCache{ms: ms}
	eod := macroCache{ms: ms}
	for _, m := range ms.list {
		eohMac := eoh.eval(m, func(x *Macros) string { return x.EOH })
		eodMac := eod.eval(m, func(x *Macros) string { return x.EOD })
		if resp := m.message(qf, dataOffset, eohMac, eodMac, autoHeaders); resp != "" {
			return resp
		}
	}
	return ""
}

// msgCtx is one milter's pass over the content (MILTER_MSG_CONTEXT plus
// the header/body split of mime_state with MIME processing off).
type msgCtx struct {
	m              *milter8
	eohMac, eodMac []string
	auto           []string
	autoDone       []bool
	firstBody      bool
	resp           string
	inHeader       bool
	hdr            []byte
	prev           byte
	body           []byte
	hdrLimit       int
}

func (c *msgCtx) done() bool { return c.m.state != statMessage || c.resp != "" }

func (m *milter8) message(qf *os.File, off int64, eoh, eod, auto []string) string {
	if m.state != statEnvelope {
		return m.defReply
	}
	if _, err := qf.Seek(off, io.SeekStart); err != nil {
		m.log.Warnf("milter8_message: vstream_fseek %s: %s", qf.Name(), m.errText(err))
		if errors.Is(err, syscall.EFBIG) {
			return "552 5.3.4 Message file too big"
		}
		return "451 4.3.0 Queue file write error"
	}
	c := &msgCtx{m: m, eohMac: eoh, eodMac: eod, auto: auto, autoDone: make([]bool, len(auto)),
		firstBody: true, inHeader: true, hdrLimit: m.parent.hdrLimit}
	m.state = statMessage
	m.timeout = m.msgTimeout
	rd := record.NewReader(qf, qf.Name(), record.Default, 0)
	for {
		rec, err := rd.Next()
		if err != nil {
			m.log.Warnf("milter8_message: error reading %s: %s", qf.Name(), m.errText(err))
			c.resp = "450 4.3.0 Queue file write error"
			break
		}
		c.update(rec.Type, rec.Data)
		if c.done() || (rec.Type != record.Norm && rec.Type != record.Cont) {
			break
		}
	}
	m.timeout = m.cmdTimeout
	if m.state == statMessage || m.state == statAcceptMsg {
		m.state = statEnvelope
	}
	return c.resp
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// update takes one record as mime_state_update does for a primary
// message with MIME processing disabled.
func (c *msgCtx) update(typ byte, text []byte) {
	isText := typ == record.Norm || typ == record.Cont
	if !isText && c.prev == record.Cont {
		c.update(record.Norm, nil)
	}
	if c.inHeader {
		if len(c.hdr) > 0 {
			if isText {
				if c.prev == record.Cont {
					if len(c.hdr) < c.hdrLimit {
						c.hdr = append(c.hdr, text...)
					}
					c.prev = typ
					return
				}
				if len(text) > 0 && isBlank(text[0]) {
					if len(c.hdr) < c.hdrLimit {
						c.hdr = append(append(c.hdr, '\n'), text...)
					}
					c.prev = typ
					return
				}
			}
			c.header(string(c.hdr))
			c.prev = 0
			c.hdr = c.hdr[:0]
		}
		if isText && record.HeaderNameLen(text) > 0 {
			c.hdr = append(c.hdr[:0], text...)
			c.prev = typ
			return
		}
		c.eoh()
		c.inHeader = false
		if isText && len(text) > 0 {
			c.bodyOut(record.Norm, nil)
		}
	}
	if isText {
		c.bodyOut(typ, text)
	} else {
		c.eob()
	}
	c.prev = typ
}

// header sends one header unless it is one of the MTA's own.
func (c *msgCtx) header(h string) {
	m := c.m
	if c.done() || m.evMask&pNoHdrs != 0 {
		return
	}
	for i, a := range c.auto {
		if !c.autoDone[i] && a == h {
			c.autoDone[i] = true
			return
		}
	}
	n := record.HeaderNameLen([]byte(h))
	name, rest := h[:n], h[n:]
	for len(rest) > 0 && isBlank(rest[0]) {
		rest = rest[1:]
	}
	if len(rest) > 0 && rest[0] == ':' {
		rest = rest[1:]
	}
	if m.evMask&pHdrLeadSpc == 0 && len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	c.resp = m.event(cmdHeader, pNoHdrs, m.evMask&pNRHdr != 0, c.eohMac, cstrings(name, rest))
}

func (c *msgCtx) eoh() {
	m := c.m
	if c.done() || m.evMask&pNoEOH != 0 {
		return
	}
	c.resp = m.event(cmdEOH, pNoEOH, m.evMask&pNREOH != 0, c.eohMac, nil)
}

// bodyOut adds a body record to the chunk buffer, CRLF after each
// complete line, sending full chunks. The first body line (the empty
// line after the headers) is not shown to milters.
func (c *msgCtx) bodyOut(typ byte, text []byte) {
	m := c.m
	if c.done() || m.evMask&pNoBody != 0 {
		return
	}
	if c.firstBody {
		c.firstBody = false
		return
	}
	todo := text
	if typ == record.Norm && len(todo) == 0 {
		todo, typ = []byte("\r\n"), 0
	}
	for len(todo) > 0 {
		n := min(chunkSize-len(c.body), len(todo))
		c.body = append(c.body, todo[:n]...)
		todo = todo[n:]
		if len(c.body) == chunkSize {
			c.resp = m.event(cmdBody, pNoBody, m.evMask&pNRBody != 0, c.eodMac, c.body)
			if c.done() {
				break
			}
			c.body = c.body[:0]
		}
		if typ == record.Norm && len(todo) == 0 {
			todo, typ = []byte("\r\n"), 0
		}
	}
}

func (c *msgCtx) eob() {
	m := c.m
	if c.done() {
		return
	}
	if len(c.body) > 0 {
		c.resp = m.event(cmdBody, pNoBody, m.evMask&pNRBody != 0, c.eodMac, c.body)
		if c.done() {
			return
		}
	}
	c.resp = m.event(cmdEOB, 0, false, c.eodMac, nil)
}

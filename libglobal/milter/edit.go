package milter

// BodyOp says what a ReplBody call does.
type BodyOp int

const (
	// BodyStart begins a body replacement.
	BodyStart BodyOp = iota + 1
	// BodyLine adds one line (record type 'N') or a piece of a long line
	// ('L', more of the same line follows).
	BodyLine
	// BodyEnd ends the replacement.
	BodyEnd
)

// Record types of replacement body lines.
const (
	RecNorm byte = 'N'
	RecCont byte = 'L'
)

// Editor applies the modification requests milters make at end of
// message to the queue file (cleanup_milter.c). Every method returns ""
// on success or a reply text for the client on failure ("451 4.3.0 ...",
// "552 5.3.4 ..."); after a failure the remaining requests of the same
// milter reply are read and ignored, and the failure text becomes the
// result unless the milter's own decision is discard or shutdown.
//
// Header indexes are 1-based as Postfix passes them: UpdHeader and
// DelHeader count instances of the named header, InsHeader counts
// header lines and gets the milter's index plus one. space is the text
// Postfix puts between the colon and the value: " ", or "" when the
// milter negotiated HDR_LEADSPC and sends its own leading space.
type Editor interface {
	AddHeader(name, value, space string) string
	InsHeader(index int, name, value, space string) string
	UpdHeader(index int, name, value, space string) string
	DelHeader(index int, name string) string
	ChgFrom(sender, args string) string
	AddRcpt(rcpt string) string
	AddRcptPar(rcpt, args string) string
	DelRcpt(rcpt string) string
	// ReplBody gets line only for the call; keep a copy.
	ReplBody(op BodyOp, recType byte, line []byte) string
}

// edit reads one header/envelope modification request and applies it
// unless an earlier one failed. stop reports a protocol error.
func (m *milter8) edit(cmd byte, left int64, ed Editor, prev string) (resp string, stop bool) {
	resp = prev
	var (
		index        uint32
		s1, s2       string
		ok           bool
		optionalArgs = cmd == repChgFrom || cmd == repAddRcptPar
	)
	if cmd == repChgHeader || cmd == repInsHeader {
		if index, ok = m.readLong(&left); !ok {
			return resp, true
		}
	}
	if s1, ok = m.readString(&left); !ok {
		return resp, true
	}
	switch {
	case cmd == repChgHeader || cmd == repInsHeader || cmd == repAddHeader:
		if s2, ok = m.readString(&left); !ok {
			return resp, true
		}
	case optionalArgs && left > 0:
		if s2, ok = m.readString(&left); !ok {
			return resp, true
		}
	}
	if !m.readEnd(left) {
		return resp, true
	}
	if resp != "" {
		return resp, false
	}
	space := " "
	if m.evMask&pHdrLeadSpc != 0 {
		space = ""
	}
	switch cmd {
	case repChgHeader:
		if index == 0 {
			index = 1
		}
		if s1 == "" {
			m.log.Warnf("milter %s: null change header name", m.name)
			m.confError()
			return resp, true
		}
		if s2 != "" {
			return ed.UpdHeader(int(index), s1, s2, space), false
		}
		return ed.DelHeader(int(index), s1), false
	case repAddHeader:
		return ed.AddHeader(s1, s2, space), false
	case repInsHeader:
		return ed.InsHeader(int(index)+1, s1, s2, space), false
	case repChgFrom:
		return ed.ChgFrom(s1, s2), false
	case repAddRcpt:
		return ed.AddRcpt(s1), false
	case repAddRcptPar:
		return ed.AddRcptPar(s1, s2), false
	default: // repDelRcpt
		return ed.DelRcpt(s1), false
	}
}

// bodyReplacer turns SMFIR_REPLBODY chunks (CRLF text) into lines of at
// most limit bytes.
type bodyReplacer struct {
	ed    Editor
	limit int
	line  []byte
}

func (b *bodyReplacer) add(chunk []byte) string {
	for _, c := range chunk {
		if c == '\n' {
			if n := len(b.line); n > 0 && b.line[n-1] == '\r' {
				b.line = b.line[:n-1]
			}
			resp := b.ed.ReplBody(BodyLine, RecNorm, b.line)
			b.line = b.line[:0]
			if resp != "" {
				return resp
			}
			continue
		}
		if len(b.line) == b.limit {
			resp := b.ed.ReplBody(BodyLine, RecCont, b.line)
			b.line = b.line[:0]
			if resp != "" {
				return resp
			}
		}
		b.line = append(b.line, c)
	}
	return ""
}

// finish flushes a last line without newline and ends the replacement.
func (b *bodyReplacer) finish() string {
	if len(b.line) > 0 {
		if resp := b.ed.ReplBody(BodyLine, RecNorm, b.line); resp != "" {
			return resp
		}
	}
	return b.ed.ReplBody(BodyEnd, 0, nil)
}

// nopEditor accepts every request and changes nothing (no editor set).
type nopEditor struct{}

func (nopEditor) AddHeader(string, string, string) string      { return "" }
func (nopEditor) InsHeader(int, string, string, string) string { return "" }
func (nopEditor) UpdHeader(int, string, string, string) string { return "" }
func (nopEditor) DelHeader(int, string) string                 { return "" }
func (nopEditor) ChgFrom(string, string) string                { return "" }
func (nopEditor) AddRcpt(string) string                        { return "" }
func (nopEditor) AddRcptPar(string, string) string             { return "" }
func (nopEditor) DelRcpt(string) string                        { return "" }
func (nopEditor) ReplBody(BodyOp, byte, []byte) string         { return "" }

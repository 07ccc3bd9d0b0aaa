package main

import (
	"strings"

	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/record"
)

// MIME parser states (mime_state.c); the three header states are also
// the header classes handed to the header output function.
const (
	mimePrimary   = 1 // the message headers (MIME_HDR_PRIMARY)
	mimeMultipart = 2 // the headers of a multipart body part
	mimeNested    = 3 // the headers of an attached message
	mimeBody      = 4
)

// MIME content types and subtypes.
const (
	ctypeText = iota + 1
	ctypeMessage
	ctypeMultipart
	ctypeOther
)

const (
	stypePlain = iota + 1
	stypeOther
	stypeRFC822
	stypePartial
	stypeExternBody
	stypeGlobal
)

const (
	enc7Bit = iota + 1
	enc8Bit
	encBinary
	encQP
	encBase64
)

// Parser options (MIME_OPT_*): downgrading 8-bit parts implies the
// nesting report; without MIME every line after the primary headers is
// body text.
const (
	mimeOptDowngrade = 1 << 0
	mimeOptDisable   = 1 << 1
)

// errMIMENesting is MIME_ERR_NESTING, the only error the SMTP client
// asks the parser to report.
const errMIMENesting = 1

type mimeBoundary struct {
	defCtype, defStype int
	boundary           string
}

// mimeHeadOut receives one complete header (lines joined with "\n"), its
// class (mimePrimary, mimeMultipart or mimeNested) and its table entry
// (nil for unknown headers and for the Content-Transfer-Encoding header
// a downgrade adds).
type mimeHeadOut func(class int, opts *headers.Opts, text string) error

// mimeBodyOut receives one body record (record.Norm or record.Cont).
type mimeBodyOut func(recType byte, text []byte) error

// mimeState is the part of Postfix's mime_state(3) the SMTP client
// uses: headers are collected and passed on whole with their class, so
// that smtp_header_checks and smtp_generic_maps can work on them; body
// lines are passed on one by one for smtp_body_checks; with downgrading
// (MIME_OPT_DOWNGRADE | MIME_OPT_REPORT_NESTING), 8-bit
// Content-Transfer-Encoding headers are replaced at the end of their
// header block and 8-bit body parts are encoded as quoted-printable.
type mimeState struct {
	head        mimeHeadOut
	body        mimeBodyOut
	opts        int
	table       *headers.Table
	headerLimit int
	maxDepth    int
	boundLen    int

	state, ctype, stype, encoding, domain int
	prevRecType                           byte
	buf                                   []byte // the header being collected, or QP output
	stack                                 []mimeBoundary
	nesting                               int
	errFlags                              int
}

func newMimeState(opts int, head mimeHeadOut, body mimeBodyOut, headerLimit, maxDepth, boundLen int) *mimeState {
	return &mimeState{head: head, body: body, opts: opts, table: headers.NewTable(""), headerLimit: headerLimit,
		maxDepth: maxDepth, boundLen: boundLen, state: mimePrimary, ctype: ctypeText, stype: stypePlain,
		encoding: enc7Bit, domain: enc7Bit, nesting: -1}
}

func (m *mimeState) set(state, ctype, stype, enc, domain int) {
	m.state, m.ctype, m.stype, m.encoding, m.domain = state, ctype, stype, enc, domain
}

// downgrading reports whether the current part is converted.
func (m *mimeState) downgrading() bool { return m.opts&mimeOptDowngrade != 0 && m.domain != enc7Bit }

// update processes one record; recType 0 (with no text) ends the
// message. It returns the parser's error flags and output errors.
func (m *mimeState) update(recType byte, text []byte) (int, error) {
	isText := recType == record.Norm || recType == record.Cont
	if !isText && m.prevRecType == record.Cont {
		if _, err := m.update(record.Norm, nil); err != nil {
			return m.errFlags, err
		}
	}
	if m.state != mimeBody {
		flags, err, done := m.header(recType, text, isText)
		if done || err != nil {
			m.prevRecType = recType
			return flags, err
		}
	}
	if isText {
		m.boundaryCheck(text)
		var err error
		if m.downgrading() {
			err = m.downgrade(recType, text)
		} else {
			err = m.body(recType, text)
		}
		if err != nil {
			return m.errFlags, err
		}
	}
	m.prevRecType = recType
	return m.errFlags, nil
}

// header handles a record while in a header block; done means the
// record was consumed as header text.
func (m *mimeState) header(recType byte, text []byte, isText bool) (int, error, bool) {
	if len(m.buf) > 0 {
		if isText {
			if m.prevRecType == record.Cont {
				if len(m.buf) < m.headerLimit {
					m.buf = append(m.buf, text...)
				}
				return m.errFlags, nil, true
			}
			if len(text) > 0 && (text[0] == ' ' || text[0] == '\t') {
				if len(m.buf) < m.headerLimit {
					m.buf = append(append(m.buf, '\n'), text...)
				}
				return m.errFlags, nil, true
			}
		}
		if err := m.flushHeader(); err != nil {
			return m.errFlags, err, true
		}
	}
	if isText {
		if n := headerNameLen(text); n > 0 {
			rest := text[n:]
			for len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
				rest = rest[1:]
			}
			m.buf = append(append(m.buf[:0], text[:n]...), rest...)
			return m.errFlags, nil, true
		}
	}
	// End of the header block.
	if m.downgrading() {
		cte := "quoted-printable"
		if (m.ctype == ctypeMessage && m.stype != stypeGlobal) || m.ctype == ctypeMultipart {
			cte = "7bit"
		}
		if err := m.head(m.state, nil, "Content-Transfer-Encoding: "+cte); err != nil {
			return m.errFlags, err, true
		}
	}
	if !isText {
		m.state = mimeBody
		return m.errFlags, nil, false
	}
	if len(text) == 0 {
		switch {
		case m.ctype == ctypeMessage && m.stype == stypeRFC822:
			m.set(mimeNested, ctypeText, stypePlain, enc7Bit, enc7Bit)
		case m.ctype == ctypeMessage && m.stype == stypeGlobal && (m.opts&mimeOptDowngrade == 0 || m.domain == enc7Bit):
			m.set(mimeNested, ctypeText, stypePlain, enc7Bit, enc7Bit)
		case m.ctype == ctypeMultipart:
			m.set(mimeBody, ctypeOther, stypeOther, enc7Bit, enc7Bit)
		default:
			m.state = mimeBody
		}
	} else {
		if m.state == mimePrimary {
			if err := m.body(record.Norm, nil); err != nil {
				return m.errFlags, err, true
			}
		}
		m.state = mimeBody
	}
	return m.errFlags, nil, false
}

// flushHeader interprets and passes on the collected header; with
// downgrading, an 8-bit Content-Transfer-Encoding is dropped here (and
// replaced at the end of the block).
func (m *mimeState) flushHeader() error {
	h := string(m.buf)
	opts := m.table.Find(h)
	if opts != nil && m.opts&mimeOptDisable == 0 {
		value := h[min(len(opts.Name)+1, len(h)):]
		switch opts.Type {
		case headers.ContentType:
			m.contentType(value)
		case headers.ContentTransferEncoding:
			m.contentEncoding(value)
		}
	}
	var err error
	if opts == nil || opts.Type != headers.ContentTransferEncoding || !m.downgrading() {
		err = m.head(m.state, opts, h)
	}
	m.prevRecType = 0
	m.buf = m.buf[:0]
	return err
}

// contentType is mime_state_content_type.
func (m *mimeState) contentType(value string) {
	toks, rest := headerTokens(value, 3, true)
	if len(toks) == 0 {
		m.ctype = ctypeOther
		return
	}
	sub := func(name string) bool {
		return len(toks) >= 3 && toks[1].special == '/' && toks[2].special == 0 && strings.EqualFold(toks[2].text, name)
	}
	word := func(t headerTok, name string) bool { return t.special == 0 && strings.EqualFold(t.text, name) }
	switch {
	case word(toks[0], "text"):
		m.ctype, m.stype = ctypeText, stypeOther
		if sub("plain") {
			m.stype = stypePlain
		}
	case word(toks[0], "message"):
		m.ctype, m.stype = ctypeMessage, stypeOther
		switch {
		case sub("rfc822"):
			m.stype = stypeRFC822
		case sub("partial"):
			m.stype = stypePartial
		case sub("external-body"):
			m.stype = stypeExternBody
		case sub("global"):
			m.stype = stypeGlobal
		}
	case word(toks[0], "multipart"):
		m.ctype = ctypeMultipart
		defC, defS := ctypeText, stypePlain
		if sub("digest") {
			defC, defS = ctypeMessage, stypeRFC822
		}
		for {
			var p []headerTok
			p, rest = headerTokens(rest, 3, true)
			if p == nil {
				break
			}
			if len(p) >= 3 && word(p[0], "boundary") && p[1].special == '=' {
				if m.nesting > m.maxDepth {
					if m.opts&mimeOptDowngrade != 0 {
						m.errFlags |= errMIMENesting
					}
				} else {
					b := p[2].text
					if len(b) > m.boundLen {
						b = b[:m.boundLen]
					}
					m.nesting++
					m.stack = append(m.stack, mimeBoundary{defC, defS, b})
				}
			}
		}
	default:
		m.ctype = ctypeOther
	}
}

// contentEncoding is mime_state_content_encoding.
func (m *mimeState) contentEncoding(value string) {
	toks, _ := headerTokens(value, 1, false)
	if len(toks) == 0 || toks[0].special != 0 {
		return
	}
	for _, e := range []struct {
		name        string
		enc, domain int
	}{{"7bit", enc7Bit, enc7Bit}, {"8bit", enc8Bit, enc8Bit}, {"binary", encBinary, encBinary},
		{"base64", encBase64, enc7Bit}, {"quoted-printable", encQP, enc7Bit}} {
		if strings.EqualFold(toks[0].text, e.name) {
			m.encoding, m.domain = e.enc, e.domain
			return
		}
	}
}

// boundaryCheck recognizes multipart boundaries in body text.
func (m *mimeState) boundaryCheck(text []byte) {
	if len(m.stack) == 0 || m.prevRecType == record.Cont || len(text) <= 2 || text[0] != '-' || text[1] != '-' {
		return
	}
	for i := len(m.stack) - 1; i >= 0; i-- {
		b := m.stack[i]
		if len(text) >= 2+len(b.boundary) && string(text[2:2+len(b.boundary)]) == b.boundary {
			m.nesting -= len(m.stack) - 1 - i
			m.stack = m.stack[:i+1]
			if len(text) >= 4+len(b.boundary) && string(text[2+len(b.boundary):4+len(b.boundary)]) == "--" {
				m.stack = m.stack[:i]
				m.nesting--
				m.set(mimeBody, ctypeOther, stypeOther, enc7Bit, enc7Bit)
			} else {
				m.set(mimeMultipart, b.defCtype, b.defStype, enc7Bit, enc7Bit)
			}
			return
		}
	}
}

// downgrade encodes body text as quoted-printable with soft line breaks
// (mime_state_downgrade).
func (m *mimeState) downgrade(recType byte, text []byte) error {
	const hex = "0123456789ABCDEF"
	for _, c := range text {
		if len(m.buf) > 72 {
			m.buf = append(m.buf, '=')
			if err := m.body(record.Norm, m.buf); err != nil {
				return err
			}
			m.buf = m.buf[:0]
		}
		if (c < 32 && c != '\t') || c == '=' || c > 126 {
			m.buf = append(m.buf, '=', hex[c>>4], hex[c&0xf])
		} else {
			m.buf = append(m.buf, c)
		}
	}
	if recType == record.Norm {
		if n := len(m.buf); n > 0 && (m.buf[n-1] == ' ' || m.buf[n-1] == '\t') {
			c := m.buf[n-1]
			m.buf = append(m.buf[:n-1], '=', hex[c>>4], hex[c&0xf])
		}
		err := m.body(record.Norm, m.buf)
		m.buf = m.buf[:0]
		return err
	}
	return nil
}

// headerNameLen is is_header_buf: the length of the header name when
// text starts a header ("Name:" with optional white space before the
// colon), else 0.
func headerNameLen(text []byte) int {
	n, space := 0, false
	for _, c := range text {
		switch {
		case c == ':':
			return n
		case c == ' ' || c == '\t':
			if n == 0 {
				return 0
			}
			space = true
		case c == 0 || c >= 0x80 || c < 0x20 || c == 0x7f || space:
			return 0
		default:
			n++
		}
	}
	return 0
}

// headerTok is one header_token result: a word (special 0) or a
// special character.
type headerTok struct {
	text    string
	special byte
}

// headerTokens is header_token with the RFC 2045 specials: it returns at
// most max tokens; with semi, ';' ends the group. nil means the input
// was exhausted before any token.
func headerTokens(s string, max int, semi bool) ([]headerTok, string) {
	const specials = "()<>@,;:\\\"/[]?="
	var toks []headerTok
	i := 0
	for i < len(s) && (semi || len(toks) < max) {
		c := s[i]
		i++
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		case semi && c == ';':
			return append([]headerTok{}, toks...), s[i:]
		case c == '(':
			for level := 1; i < len(s) && level > 0; i++ {
				switch s[i] {
				case '(':
					level++
				case ')':
					level--
				case '\\':
					i++
				}
			}
		case c == '"':
			var b []byte
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				if s[i] != '\n' {
					b = append(b, s[i])
				}
				i++
			}
			i++
			if len(toks) < max {
				toks = append(toks, headerTok{text: string(b)})
			}
		case strings.IndexByte(specials, c) >= 0 || c < 0x20 || c == 0x7f:
			if len(toks) < max {
				toks = append(toks, headerTok{text: string(c), special: c})
			}
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\r' && s[j] != '\n' &&
				s[j] >= 0x20 && s[j] != 0x7f && strings.IndexByte(specials, s[j]) < 0 {
				j++
			}
			if len(toks) < max {
				toks = append(toks, headerTok{text: s[i-1 : j]})
			}
			i = j
		}
	}
	if len(toks) == 0 && i >= len(s) {
		return nil, ""
	}
	return toks, s[min(i, len(s)):]
}

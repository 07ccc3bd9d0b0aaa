package mime

import (
	"strings"

	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/record"
)

func has8Bit(s []byte) bool {
	for _, c := range s {
		if c&0x80 != 0 {
			return true
		}
	}
	return false
}

// Update feeds one record: record.Norm (a line), record.Cont (a line
// piece that continues in the next record), or any other type for the
// end of the content. It returns the errors seen so far
// (mime_state_update).
func (s *State) Update(t byte, text string) int {
	isText := t == record.Norm || t == record.Cont
	if !isText && s.prev == record.Cont {
		// A last line without newline ends before the end of content.
		s.Update(record.Norm, "")
	}
	if s.state != stateBody {
		if s.headerState(t, text, isText) {
			s.prev = t
			return s.errs
		}
	}
	s.body(t, text, isText)
	s.prev = t
	return s.errs
}

// headerState handles a record in a header block; it reports whether
// the record was consumed, else the body state takes it.
func (s *State) headerState(t byte, text string, isText bool) bool {
	if len(s.out) > 0 {
		if isText {
			continued := s.prev == record.Cont
			if continued || (text != "" && (text[0] == ' ' || text[0] == '\t')) {
				if len(s.out) < s.lim.HeaderSize {
					if !continued {
						s.out = append(s.out, '\n')
					}
					s.out = append(s.out, text...)
				} else if s.opts&OptReportTruncHeader != 0 {
					s.report(ErrTruncHeader, string(s.out))
				}
				return true
			}
		}
		s.flushHeader(len(text))
	}
	if isText {
		if n := record.HeaderNameLen([]byte(text)); n > 0 {
			// "name : value" becomes "name: value".
			s.out = append(s.out[:0], text[:n]...)
			s.out = append(s.out, strings.TrimLeft(text[n:], " \t")...)
			return true
		}
	}
	// The record ends the header block.
	if s.opts&OptDowngrade != 0 && s.domain != Enc7Bit {
		// A message/global part is a leaf here: it is converted, not
		// parsed.
		cte := "quoted-printable"
		if (s.ctype == ctypeMessage && s.stype != stypeGlobal) || s.ctype == ctypeMultipart {
			cte = "7bit"
		}
		s.out = append(s.out[:0], "Content-Transfer-Encoding: "+cte...)
		s.headOut(nil, len(text))
		s.out = s.out[:0]
	}
	if s.state == statePrimary && s.h.HeaderEnd != nil {
		s.h.HeaderEnd()
	}
	if s.opts&OptReportEncodingDomain != 0 {
		// message/partial and external-body must be 7bit; rfc822 and
		// multipart need an identity encoding; other message types
		// (message/global) may be encoded.
		switch {
		case s.ctype == ctypeMessage && (s.stype == stypePartial || s.stype == stypeExternBody):
			if s.domain != Enc7Bit {
				s.report(ErrEncodingDomain, encodingName(s.enc))
			}
		case s.ctype == ctypeMessage && s.stype == stypeRFC822, s.ctype == ctypeMultipart:
			if s.enc != s.domain {
				s.report(ErrEncodingDomain, encodingName(s.enc))
			}
		}
	}
	switch {
	case !isText:
		s.setState(stateBody)
	case text == "":
		s.bodyOf = 0
		switch {
		case s.ctype == ctypeMessage && (s.stype == stypeRFC822 || s.opts&OptRecurseAllMessage != 0):
			s.set(stateNested, ctypeText, stypePlain, Enc7Bit, Enc7Bit)
		case s.ctype == ctypeMessage && s.stype == stypeGlobal && (s.opts&OptDowngrade == 0 || s.domain == Enc7Bit):
			s.set(stateNested, ctypeText, stypePlain, Enc7Bit, Enc7Bit)
		case s.ctype == ctypeMultipart:
			s.set(stateBody, ctypeOther, stypeOther, Enc7Bit, Enc7Bit)
		default:
			s.setState(stateBody)
		}
	case s.state == statePrimary:
		// Not a header and no empty line: the message body starts here,
		// after an empty line that is made up.
		s.bodyOut(record.Norm, "")
		s.setState(stateBody)
	default:
		// No line is made up in body parts (signatures stay intact).
		s.setState(stateBody)
	}
	// A nested message's headers start after the empty line; the empty
	// line itself is body text of the enclosing part.
	return false
}

// flushHeader passes on the collected header, after looking at the
// MIME headers and for 8-bit data. n is the length of the record that
// ended the header: Postfix advances the header offset by it, not by the
// header's length.
func (s *State) flushHeader(n int) {
	opts := s.table.Find(string(s.out))
	if s.opts&OptDisableMIME == 0 && opts != nil {
		switch opts.Type {
		case headers.ContentType:
			s.contentType(opts)
		case headers.ContentTransferEncoding:
			s.contentEncoding(opts)
		}
	}
	if s.opts&OptReport8BitInHeader != 0 && s.errs&Err8BitInHeader == 0 && has8Bit(s.out) {
		s.report(Err8BitInHeader, string(s.out))
	}
	// When downgrading, an 8-bit part's encoding header is replaced at
	// the end of the header block.
	if opts == nil || opts.Type != headers.ContentTransferEncoding || s.opts&OptDowngrade == 0 || s.domain == Enc7Bit {
		s.headOut(opts, n)
	}
	s.prev = 0
	s.out = s.out[:0]
}

// body handles a body record: boundaries, 8-bit checks, downgrade.
func (s *State) body(t byte, text string, isText bool) {
	if !isText {
		if s.h.BodyEnd != nil {
			s.h.BodyEnd()
		}
		return
	}
	if s.opts&OptReport8BitIn7BitBody != 0 && s.enc == Enc7Bit && s.errs&Err8BitIn7BitBody == 0 && has8Bit([]byte(text)) {
		s.report(Err8BitIn7BitBody, text)
	}
	if len(s.stack) > 0 && s.prev != record.Cont && len(text) > 2 && strings.HasPrefix(text, "--") {
		for i := len(s.stack) - 1; i >= 0; i-- {
			b := s.stack[i]
			if !strings.HasPrefix(text[2:], b.text) {
				continue
			}
			s.stack = s.stack[:i+1]
			if strings.HasPrefix(text[2+len(b.text):], "--") {
				s.stack = s.stack[:i]
				s.set(stateBody, ctypeOther, stypeOther, Enc7Bit, Enc7Bit)
			} else {
				s.set(stateMultipart, b.defCtype, b.defStype, Enc7Bit, Enc7Bit)
			}
			break
		}
	}
	if s.opts&OptDowngrade != 0 && s.domain != Enc7Bit {
		s.downgrade(t, text)
	} else {
		s.bodyOut(t, text)
	}
}

// downgrade writes text as quoted-printable, with soft line breaks
// before 76 characters.
func (s *State) downgrade(t byte, text string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(text); i++ {
		if len(s.out) > 72 {
			s.out = append(s.out, '=')
			s.bodyOut(record.Norm, string(s.out))
			s.out = s.out[:0]
		}
		c := text[i]
		if (c < 32 && c != '\t') || c == '=' || c > 126 {
			s.out = append(s.out, '=', hex[c>>4], hex[c&0xf])
		} else {
			s.out = append(s.out, c)
		}
	}
	if t == record.Norm {
		if n := len(s.out); n > 0 && (s.out[n-1] == ' ' || s.out[n-1] == '\t') {
			c := s.out[n-1]
			s.out = append(s.out[:n-1], '=', hex[c>>4], hex[c&0xf])
		}
		s.bodyOut(record.Norm, string(s.out))
		s.out = s.out[:0]
	}
}

package mime

import (
	"strings"

	"gopostfix/libglobal/headers"
)

// Options (MIME_OPT_*).
const (
	OptDowngrade            = 1 << 0 // convert 8-bit parts to quoted-printable
	OptReport8BitIn7BitBody = 1 << 1
	OptReport8BitInHeader   = 1 << 2
	OptReportEncodingDomain = 1 << 3
	OptRecurseAllMessage    = 1 << 4 // also parse message/partial and external-body headers
	OptReportTruncHeader    = 1 << 5
	OptDisableMIME          = 1 << 6 // everything after the primary headers is body
	OptReportNesting        = 1 << 7
)

// Errors (MIME_ERR_*); Update returns the ones seen so far.
const (
	ErrNesting        = 1 << 0
	ErrTruncHeader    = 1 << 1
	Err8BitInHeader   = 1 << 2
	Err8BitIn7BitBody = 1 << 3
	ErrEncodingDomain = 1 << 4
)

// Header classes (MIME_HDR_*).
const (
	HdrPrimary   = 1 // the message headers
	HdrMultipart = 2 // the headers after a multipart boundary
	HdrNested    = 3 // the headers of an attached message
)

// Encoding domains (MIME_ENC_*).
const (
	Enc7Bit   = 7
	Enc8Bit   = 8
	EncBinary = 9
	encQP     = 1
	encBase64 = 2
)

// Detail is the DSN and text of an error.
type Detail struct {
	Code int
	DSN  string
	Text string
}

// details are in order of severity: only the first matching one is
// reported.
var details = []Detail{
	{ErrNesting, "5.6.0", "MIME nesting exceeds safety limit"},
	{ErrTruncHeader, "5.6.0", "message header length exceeds safety limit"},
	{Err8BitInHeader, "5.6.0", "improper use of 8-bit data in message header"},
	{Err8BitIn7BitBody, "5.6.0", "improper use of 8-bit data in message body"},
	{ErrEncodingDomain, "5.6.0", "invalid message/* or multipart/* encoding domain"},
}

// ErrorDetail returns the most serious error of code (mime_state_detail);
// code must not be 0.
func ErrorDetail(code int) Detail {
	for _, d := range details {
		if d.Code&code != 0 {
			return d
		}
	}
	panic("mime: unknown error code")
}

// encodings are the Content-Transfer-Encoding values (RFC 2045) with
// their encoding and domain.
var encodings = []struct {
	name             string
	encoding, domain int
}{
	{"7bit", Enc7Bit, Enc7Bit},
	{"8bit", Enc8Bit, Enc8Bit},
	{"binary", EncBinary, EncBinary},
	{"base64", encBase64, Enc7Bit},
	{"quoted-printable", encQP, Enc7Bit},
}

func encodingName(enc int) string {
	for _, e := range encodings {
		if e.encoding == enc {
			return e.name
		}
	}
	return "unknown"
}

// Content types and subtypes that matter.
const (
	ctypeOther = iota
	ctypeText
	ctypeMessage
	ctypeMultipart
)

const (
	stypeOther = iota
	stypePlain
	stypeRFC822
	stypePartial
	stypeExternBody
	stypeGlobal // message/global (RFC 6532): may be encoded, and is not when downgraded
)

// Parser states; the header states are the header classes.
const (
	statePrimary   = HdrPrimary
	stateMultipart = HdrMultipart
	stateNested    = HdrNested
	stateBody      = HdrNested + 1
)

// Limits are the safety limits of the parser.
type Limits struct {
	HeaderSize  int // header_size_limit
	Nesting     int // mime_nesting_limit
	BoundaryLen int // mime_boundary_length_limit
}

// Handler receives the parser's output. Any function may be nil.
type Handler struct {
	// Header gets one complete header (continuation lines joined with
	// "\n"), its class, its entry in the header table (nil when
	// unknown) and its offset in the header block.
	Header func(class int, opts *headers.Opts, text string, offset int64)
	// HeaderEnd is called at the end of the primary headers.
	HeaderEnd func()
	// Body gets one body record (record.Norm or record.Cont) and its
	// offset in the current body part.
	Body func(recType byte, text string, offset int64)
	// BodyEnd is called at the end of the content.
	BodyEnd func()
	// Error reports each kind of error once, with the text it is about.
	Error func(code int, text string)
}

type boundary struct {
	defCtype, defStype int
	text               string
}

// State is one message's parser (MIME_STATE).
type State struct {
	opts   int
	lim    Limits
	table  *headers.Table
	h      Handler
	errs   int
	state  int
	ctype  int
	stype  int
	enc    int
	domain int
	out    []byte // the header being collected, or the QP output line
	prev   byte   // previous record type
	stack  []boundary
	headOf int64
	bodyOf int64
}

// New makes a parser with options opts (Opt*); table finds the known
// headers.
func New(opts int, lim Limits, table *headers.Table, h Handler) *State {
	s := &State{opts: opts, lim: lim, table: table, h: h}
	s.set(statePrimary, ctypeText, stypePlain, Enc7Bit, Enc7Bit)
	return s
}

// set is SET_MIME_STATE.
func (s *State) set(state, ctype, stype, enc, domain int) {
	s.ctype, s.stype, s.enc, s.domain = ctype, stype, enc, domain
	s.setState(state)
}

// setState is SET_CURR_STATE: a new block starts at offset 0.
func (s *State) setState(state int) {
	s.state = state
	if state == stateBody {
		s.bodyOf = 0
	} else {
		s.headOf = 0
	}
}

func (s *State) report(code int, text string) {
	if s.errs&code == 0 {
		if s.h.Error != nil {
			s.h.Error(code, text)
		}
		s.errs |= code
	}
}

func (s *State) headOut(opts *headers.Opts, n int) {
	if s.h.Header != nil {
		s.h.Header(s.state, opts, string(s.out), s.headOf)
	}
	s.headOf += int64(n) + 1
}

func (s *State) bodyOut(t byte, text string) {
	if s.h.Body != nil {
		s.h.Body(t, text, s.bodyOf)
	}
	s.bodyOf += int64(len(text)) + 1
}

func (s *State) push(defCtype, defStype int, text string) {
	if s.lim.BoundaryLen > 0 && len(text) > s.lim.BoundaryLen {
		text = text[:s.lim.BoundaryLen]
	}
	s.stack = append(s.stack, boundary{defCtype, defStype, text})
}

func tokenIs(t Token, text string) bool {
	return t.Type == TokToken && strings.EqualFold(t.Value, text)
}

// rfc2045TSpecials are the specials of Content-Type values.
const rfc2045TSpecials = "()<>@,;:\\\"/[]?="

// contentType updates the part's type from its Content-Type header.
func (s *State) contentType(opts *headers.Opts) {
	rest := string(s.out[min(len(opts.Name)+1, len(s.out)):])
	toks, rest, ok := HeaderToken(rest, 3, rfc2045TSpecials, ';')
	if !ok || len(toks) == 0 {
		return
	}
	sub := func(name string) bool { return len(toks) >= 3 && toks[1].Type == '/' && tokenIs(toks[2], name) }
	switch {
	case tokenIs(toks[0], "text"):
		s.ctype, s.stype = ctypeText, stypeOther
		if sub("plain") {
			s.stype = stypePlain
		}
	case tokenIs(toks[0], "message"):
		s.ctype, s.stype = ctypeMessage, stypeOther
		switch {
		case sub("rfc822"):
			s.stype = stypeRFC822
		case sub("partial"):
			s.stype = stypePartial
		case sub("external-body"):
			s.stype = stypeExternBody
		case sub("global"):
			s.stype = stypeGlobal
		}
	case tokenIs(toks[0], "multipart"):
		s.ctype = ctypeMultipart
		defC, defS := ctypeText, stypePlain
		if sub("digest") {
			defC, defS = ctypeMessage, stypeRFC822
		}
		// Every boundary parameter counts: several would be illegal and
		// could hide content.
		for {
			toks, rest, ok = HeaderToken(rest, 3, rfc2045TSpecials, ';')
			if !ok {
				break
			}
			if len(toks) >= 3 && tokenIs(toks[0], "boundary") && toks[1].Type == '=' {
				if len(s.stack) > s.lim.Nesting {
					if s.opts&OptReportNesting != 0 {
						s.report(ErrNesting, string(s.out))
					}
				} else {
					s.push(defC, defS, toks[2].Value)
				}
			}
		}
	default:
		s.ctype = ctypeOther
	}
}

// contentEncoding updates the part's encoding; unknown values leave it
// unchanged.
func (s *State) contentEncoding(opts *headers.Opts) {
	rest := string(s.out[min(len(opts.Name)+1, len(s.out)):])
	toks, _, ok := HeaderToken(rest, 1, "", 0)
	if !ok || len(toks) == 0 || toks[0].Type != TokToken {
		return
	}
	for _, e := range encodings {
		if strings.EqualFold(toks[0].Value, e.name) {
			s.enc, s.domain = e.encoding, e.domain
			return
		}
	}
}

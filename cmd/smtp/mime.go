package main

import (
	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/mime"
)

// The header classes the MIME parser hands to the header output
// function (MIME_HDR_*).
const (
	mimePrimary   = mime.HdrPrimary
	mimeMultipart = mime.HdrMultipart
)

// The parser options the client chooses (smtp_proto.c): downgrading
// 8-bit parts, with the nesting report that goes with it; without
// header or body checks, every line after the primary headers is body
// text.
const (
	mimeOptDowngrade = mime.OptDowngrade | mime.OptReportNesting
	mimeOptDisable   = mime.OptDisableMIME
)

// mimeHeadOut receives one complete header (lines joined with "\n"), its
// class (mimePrimary, mimeMultipart or mimeNested) and its table entry
// (nil for unknown headers and for the Content-Transfer-Encoding header
// a downgrade adds).
type mimeHeadOut func(class int, opts *headers.Opts, text string) error

// mimeBodyOut receives one body record (record.Norm or record.Cont).
type mimeBodyOut func(recType byte, text []byte) error

// mimeState runs the content through the shared MIME parser
// (libglobal/mime, mime_state(3)) so that smtp_header_checks and
// smtp_generic_maps see whole headers with their class, body lines go
// one by one to smtp_body_checks, and 8-bit parts are downgraded to
// quoted-printable. The first output error stops all further output and
// is returned by update.
type mimeState struct {
	parser *mime.State
	err    error
}

// newMimeState makes the parser; maxDepth is mime_nesting_limit, the
// number of nested multiparts beyond the first.
func newMimeState(opts int, head mimeHeadOut, body mimeBodyOut, headerLimit, maxDepth, boundLen int) *mimeState {
	m := &mimeState{}
	h := mime.Handler{
		Header: func(class int, opts *headers.Opts, text string, _ int64) {
			if m.err == nil {
				m.err = head(class, opts, text)
			}
		},
		Body: func(recType byte, text string, _ int64) {
			if m.err == nil {
				m.err = body(recType, []byte(text))
			}
		},
	}
	lim := mime.Limits{HeaderSize: headerLimit, Nesting: maxDepth + 1, BoundaryLen: boundLen}
	m.parser = mime.New(opts, lim, headers.NewTable(""), h)
	return m
}

// update passes one record; recType 0 (with no text) ends the message.
// It returns the parser's error flags (only MIME_ERR_NESTING is asked
// for) and the first output error.
func (m *mimeState) update(recType byte, text []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	flags := m.parser.Update(recType, string(text))
	return flags, m.err
}

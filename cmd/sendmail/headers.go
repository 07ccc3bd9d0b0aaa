package main

import (
	"errors"
	"strings"

	"gopostfix/libglobal/record"
)

// headerExtractor reassembles the primary message header the way
// mime_state does with MIME processing off, collects the recipients of
// To, Cc and Bcc (or, once a Resent- header was seen, of Resent-To,
// Resent-Cc and Resent-Bcc) for sendmail -t, and writes every line on.
type headerExtractor struct {
	w       *record.Writer
	limit   int // line_length_limit: longer output lines are split
	max     int // header_size_limit: a header that reaches it is an error
	inBody  bool
	hdr     []byte // the current logical header, lines joined by '\n'
	prev    byte   // type of the previous input record
	resent  bool
	rcpts   []string
	resents []string
}

func newHeaderExtractor(w *record.Writer, limit, max int) *headerExtractor {
	return &headerExtractor{w: w, limit: limit, max: max}
}

// errHeaderTooLong is MIME_ERR_TRUNC_HEADER: text was to be added to a
// header that already holds header_size_limit bytes.
var errHeaderTooLong = errors.New("message header length exceeds safety limit")

// update takes one input record. A header that grows past
// header_size_limit is an error (sendmail's mime_state reports truncated
// headers).
func (h *headerExtractor) update(t byte, line []byte) error {
	if h.inBody {
		h.w.Put(t, line)
		return nil
	}
	defer func() { h.prev = t }()
	switch {
	case h.hdr != nil && h.prev == record.Cont:
		return h.extend(line, false)
	case h.hdr != nil && len(line) > 0 && (line[0] == ' ' || line[0] == '\t'):
		return h.extend(line, true)
	}
	h.flush()
	if n := record.HeaderNameLen(line); n > 0 {
		// "Name : value" becomes "Name: value".
		rest := line[n:]
		for len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
			rest = rest[1:]
		}
		h.hdr = append(append([]byte{}, line[:n]...), rest...)
		return nil
	}
	h.inBody = true
	h.w.Put(t, line)
	return nil
}

// extend adds a continuation (a folded line after a newline, or the next
// piece of a long line) to the current header while it is below the
// size limit.
func (h *headerExtractor) extend(line []byte, newline bool) error {
	if len(h.hdr) >= h.max {
		return errHeaderTooLong
	}
	if newline {
		h.hdr = append(h.hdr, '\n')
	}
	h.hdr = append(h.hdr, line...)
	return nil
}

// flush writes the pending header, after looking at its addresses.
func (h *headerExtractor) flush() {
	if h.hdr == nil {
		return
	}
	text := string(h.hdr)
	h.hdr = nil
	name, value, _ := strings.Cut(text, ":")
	name = strings.TrimRight(name, " \t")
	lower := strings.ToLower(name)
	switch lower {
	case "resent-to", "resent-cc", "resent-bcc":
		h.resent = true
		h.resents = append(h.resents, internalize(value)...)
	case "to", "cc", "bcc":
		if !h.resent {
			h.rcpts = append(h.rcpts, internalize(value)...)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		for len(line) > h.limit {
			h.w.PutString(record.Cont, line[:h.limit])
			line = line[h.limit:]
		}
		h.w.PutString(record.Norm, line)
	}
}

// finish ends the message and returns the extracted recipients.
func (h *headerExtractor) finish() []string {
	h.flush()
	if h.resent {
		return h.resents
	}
	return h.rcpts
}

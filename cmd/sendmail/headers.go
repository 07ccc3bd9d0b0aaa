package main

import (
	"strings"

	"gopostfix/libglobal/record"
)

// headerExtractor reassembles the primary message header the way
// mime_state does with MIME processing off, collects the recipients of
// To, Cc and Bcc (or, once a Resent- header was seen, of Resent-To,
// Resent-Cc and Resent-Bcc) for sendmail -t, and writes every line on.
type headerExtractor struct {
	w       *record.Writer
	limit   int
	inBody  bool
	hdr     []byte // the current logical header, lines joined by '\n'
	prev    byte   // type of the previous input record
	resent  bool
	rcpts   []string
	resents []string
}

func newHeaderExtractor(w *record.Writer, limit int) *headerExtractor {
	return &headerExtractor{w: w, limit: limit}
}

// update takes one input record.
func (h *headerExtractor) update(t byte, line []byte) {
	if h.inBody {
		h.w.Put(t, line)
		return
	}
	switch {
	case h.hdr != nil && h.prev == record.Cont:
		h.hdr = append(h.hdr, line...)
	case h.hdr != nil && len(line) > 0 && (line[0] == ' ' || line[0] == '\t'):
		h.hdr = append(append(h.hdr, '\n'), line...)
	case record.IsHeader(line):
		h.flush()
		h.hdr = append([]byte{}, line...)
	default:
		h.flush()
		h.inBody = true
		h.w.Put(t, line)
	}
	h.prev = t
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

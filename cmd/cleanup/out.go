package main

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
)

// out writes one record, splitting text longer than line_length_limit
// into continuation records (cleanup_out). A write error is remembered
// in the state.
func (st *state) out(t byte, data string) {
	if !st.outOK() {
		return
	}
	text := t == 'N' || t == 'L'
	for text && len(data) > st.cfg.lineLimit {
		st.w.PutString('L', data[:st.cfg.lineLimit])
		data = data[st.cfg.lineLimit:]
	}
	st.w.PutString(t, data)
	st.checkWrite()
}

func (st *state) outf(t byte, format string, args ...any) {
	st.out(t, fmt.Sprintf(format, args...))
}

func (st *state) checkWrite() {
	err := st.w.Err()
	if err == nil {
		return
	}
	if errors.Is(err, syscall.EFBIG) {
		if st.errs&statSize == 0 {
			st.cfg.log.Warnf("%s: queue file size limit exceeded", st.queueID)
		}
		st.errs |= statSize
	} else {
		if st.errs&statWrite == 0 {
			st.cfg.log.Warnf("%s: write queue file: %s", st.queueID, queue.Strerror(err))
		}
		st.errs |= statWrite
		st.streamErr = true
	}
}

// pad writes a padding record of n bytes in all (rec_pad).
func (st *state) pad(t byte, n int) {
	if !st.outOK() {
		return
	}
	st.w.Pad(t, n)
	st.checkWrite()
}

// ptr writes a pointer record (a placeholder when target is 0).
func (st *state) ptr(target int64) { st.out(record.Ptr, record.FormatFixed(target)) }

// reservePtr writes a placeholder pointer record and returns its offset
// and the offset of the record after it.
func (st *state) reservePtr() (at, next int64) {
	at = st.offset()
	st.ptr(0)
	return at, st.offset()
}

// offset is the position of the next record (vstream_ftell).
func (st *state) offset() int64 { return st.w.Offset() }

// outHeader writes a (possibly multi-line) header: the first line as is,
// continuation lines indented with a TAB unless they start with white
// space (cleanup_out_header); the text is cut at header_size_limit.
func (st *state) outHeader(h string) {
	if st.cfg.smtputf8 && h != "" && !isASCII(h) {
		st.smtputf8 |= utf8Header
		if st.flags&flagAutoUTF8 != 0 {
			st.smtputf8 |= utf8Requested
		}
	}
	limit := st.cfg.headerLimit
	start := 0
	for line := 0; ; line++ {
		rest := h[start:]
		end := strings.IndexByte(rest, '\n')
		next := -1
		if end >= 0 {
			next = start + end + 1
			rest = rest[:end]
		}
		if start+len(rest) > limit {
			if float64(start) > 0.9*float64(limit) {
				break
			}
			rest = h[start:limit]
			next = -1
		}
		switch {
		case line == 0:
			st.out('N', rest)
			if st.milterOn() && len(rest) < ptrPayload {
				// Room for a pointer record over a short header.
				st.pad(record.Padding, ptrPayload-len(rest))
			}
		case rest != "" && (rest[0] == ' ' || rest[0] == '\t'):
			st.out('N', rest)
		default:
			st.out('N', "\t"+rest)
		}
		if next < 0 {
			break
		}
		start = next
	}
}

// foldHeader writes a regenerated address header (cleanup_fold_header).
func (st *state) foldHeader(h string) { st.outHeader(foldLines(h)) }

// foldLines joins the lines of a regenerated address header as long as
// the joined line stays shorter than 70 characters.
func foldLines(h string) string {
	b := []byte(h)
	startLine := 0
	for line := 0; line >= 0; {
		end := line + strings.IndexByte(string(b[line:])+"\n", '\n')
		if line > startLine {
			if end-startLine < 70 {
				b[line-1] = ' '
			} else {
				startLine = line
			}
		}
		if end < len(b) {
			line = end + 1
		} else {
			line = -1
		}
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

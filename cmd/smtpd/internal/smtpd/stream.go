package smtpd

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"time"
)

// abort is how the engine leaves a session from deep inside a command, as
// Postfix's smtpd longjmps out of smtp_get/smtp_fputs.
type abort int

const (
	abortTime  abort = iota + 1 // read or write timeout
	abortEOF                    // client went away
	abortQuiet                  // end without reply
	abortData                   // local data (table lookup) error
)

// stream is the client connection: buffered replies that are flushed only
// when the engine is about to wait for input (so pipelined replies leave
// together, as with Postfix's VSTREAM), and Postfix's line reading rules.
type stream struct {
	conn    net.Conn
	r       *bufio.Reader
	w       *bufio.Writer
	timeout time.Duration
	now     func() time.Time

	// With deadline (smtpd_per_request_deadline), timeout bounds each
	// whole read request (a line, a BDAT chunk) rather than each read
	// from the network, and every byte received adds 1/minRate seconds
	// (smtpd_min_data_rate) to it, as smtp_stream_setup arranges.
	deadline bool
	minRate  int
	reqEnd   time.Time // when the current read request times out

	bareLFMode int  // bareLF* mode for this client
	gotBareLF  bool // the last line ended in LF without CR
	lastFlush  time.Time
	peeking    bool // a look-ahead read: no flush, no waiting
	shortRead  int  // bytes of a failed readFull
	lineBuf    []byte
}

// maxKeptLine bounds the line buffer a stream keeps between lines.
const maxKeptLine = 64 << 10

// flushReader flushes pending output before each read from the network.
type flushReader struct{ s *stream }

func (f flushReader) Read(p []byte) (int, error) {
	if f.s.peeking {
		_ = f.s.conn.SetReadDeadline(f.s.now().Add(time.Millisecond))
		return f.s.conn.Read(p)
	}
	if err := f.s.flush(); err != nil {
		return 0, err
	}
	if f.s.timeout <= 0 {
		return f.s.conn.Read(p)
	}
	if !f.s.deadline {
		_ = f.s.conn.SetReadDeadline(f.s.now().Add(f.s.timeout))
		return f.s.conn.Read(p)
	}
	_ = f.s.conn.SetReadDeadline(f.s.reqEnd)
	n, err := f.s.conn.Read(p)
	if n > 0 && f.s.minRate > 0 {
		f.s.reqEnd = f.s.reqEnd.Add(time.Duration(n) * time.Second / time.Duration(f.s.minRate))
	}
	return n, err
}

// startRequest starts the time limit of one read request
// (smtp_timeout_reset); without deadline mode each network read has the
// whole timeout anyway.
func (s *stream) startRequest() {
	if s.deadline {
		s.reqEnd = s.now().Add(s.timeout)
	}
}

func newStream(conn net.Conn, timeout time.Duration, now func() time.Time) *stream {
	s := &stream{conn: conn, timeout: timeout, now: now}
	s.r = bufio.NewReaderSize(flushReader{s}, 4096)
	s.w = bufio.NewWriterSize(conn, 4096)
	s.lastFlush = now()
	return s
}

func (s *stream) flush() error {
	if s.w.Buffered() == 0 {
		return nil
	}
	if s.timeout > 0 {
		_ = s.conn.SetWriteDeadline(s.now().Add(s.timeout))
	}
	s.lastFlush = s.now()
	return s.w.Flush()
}

// ioAbort maps an I/O error to the session abort it causes.
func ioAbort(err error) abort {
	var ne net.Error
	if errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return abortTime
	}
	return abortEOF
}

// getc reads one byte or aborts the session.
func (s *stream) getc() byte {
	c, err := s.r.ReadByte()
	if err != nil {
		panic(ioAbort(err))
	}
	return c
}

// getLine reads one line of at most bound bytes, as smtp_get: the result
// excludes the line end; complete reports whether a newline ended it. With
// skip, the rest of an over-long line is read and discarded. End of input
// before a newline, even after some text, ends the session. The line is
// valid until the next call (the stream reuses its buffer).
func (s *stream) getLine(bound int, skip bool) (line []byte, complete bool) {
	s.startRequest()
	s.gotBareLF = false
	buf := s.lineBuf[:0]
	last := -1
	for bound <= 0 || len(buf) < bound {
		// Take whole runs of buffered input up to the newline or the bound
		// (a byte at a time was a call and often an append per byte).
		if s.r.Buffered() == 0 {
			if _, err := s.r.Peek(1); err != nil {
				// Any read error here comes before a newline.
				panic(ioAbort(err))
			}
		}
		chunk, _ := s.r.Peek(s.r.Buffered())
		if bound > 0 && len(chunk) > bound-len(buf) {
			chunk = chunk[:bound-len(buf)]
		}
		if i := bytes.IndexByte(chunk, '\n'); i >= 0 {
			chunk = chunk[:i+1]
		}
		buf = append(buf, chunk...)
		_, _ = s.r.Discard(len(chunk))
		last = int(chunk[len(chunk)-1])
		if last == '\n' {
			break
		}
	}
	if cap(buf) <= maxKeptLine {
		s.lineBuf = buf[:0]
	}
	if last == '\r' {
		// The bound split CR from LF: take the LF too.
		if c, err := s.r.ReadByte(); err == nil {
			if c == '\n' {
				buf = append(buf, '\n')
				last = '\n'
			} else {
				_ = s.r.UnreadByte()
			}
		}
	}
	if last == '\n' {
		buf = buf[:len(buf)-1]
		if s.bareLFMode != bareLFNo {
			if len(buf) == 0 || buf[len(buf)-1] != '\r' {
				s.gotBareLF = true
			} else {
				buf = buf[:len(buf)-1]
			}
		} else {
			for len(buf) > 0 && buf[len(buf)-1] == '\r' {
				buf = buf[:len(buf)-1]
			}
		}
		return buf, true
	}
	if skip {
		for {
			c := s.getc()
			if c == '\n' {
				break
			}
		}
	}
	return buf, false
}

// readFull reads exactly n bytes (BDAT chunks). When that fails,
// shortRead is how many arrived.
func (s *stream) readFull(buf []byte) {
	s.startRequest()
	s.shortRead = 0
	if n, err := io.ReadFull(s.r, buf); err != nil {
		s.shortRead = n
		panic(ioAbort(err))
	}
}

// pending reports how many input bytes are already buffered, looking at
// the socket without blocking when the buffer is empty (Postfix's
// vstream_peek plus peekfd).
func (s *stream) pending() int {
	if n := s.r.Buffered(); n > 0 {
		return n
	}
	if n, ok := socketPending(s.conn); ok && n == 0 {
		return 0
	}
	s.peeking = true
	_, err := s.r.Peek(1)
	s.peeking = false
	if err != nil {
		return 0
	}
	return s.r.Buffered()
}

// peekData returns up to n buffered input bytes without consuming them.
func (s *stream) peekData(n int) []byte {
	if b := s.r.Buffered(); b < n {
		n = b
	}
	p, _ := s.r.Peek(n)
	return p
}

// write queues reply bytes.
func (s *stream) write(line string) {
	if _, err := s.w.WriteString(line); err != nil {
		panic(ioAbort(err))
	}
}

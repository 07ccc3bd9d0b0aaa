package main

import (
	"bufio"
	"errors"
	"net"
	"os"
	"time"
)

// streamError is an SMTP stream exception (SMTP_ERR_*): the
// conversation ended by end of file (or a write error), a time-out, or
// a local data error.
type streamError int

const (
	errEOF  streamError = 1
	errTime streamError = 2
	errData streamError = 3
)

func (e streamError) Error() string {
	switch e {
	case errEOF:
		return "lost connection"
	case errTime:
		return "timeout"
	}
	return "local data error"
}

// bufSize is VSTREAM_BUFSIZE: output is written in blocks of this size,
// and it is also the pipelining limit of smtp_loop.
const bufSize = 4096

// stream is the double-buffered connection to the server with Postfix's
// smtp_stream(3) behaviour: output collects in a buffer that is written
// when full or before a read; every read and write has a time limit (or
// a deadline for the whole request), and failures are reported as
// streamError values.
type stream struct {
	conn     net.Conn
	r        *bufio.Reader
	out      []byte
	timeout  time.Duration
	deadline time.Time // per-request deadline, or zero
	last     time.Time // time of the last read or write (vstream_ftime)
	err      error     // the last error; every operation starts afresh
}

func newStream(c net.Conn) *stream {
	return &stream{conn: c, r: bufio.NewReaderSize(c, bufSize), last: time.Now()}
}

// setup sets the time limit of the following operations
// (smtp_stream_setup); with deadline set it is a limit for all of them
// together.
func (s *stream) setup(timeout time.Duration, deadline bool) {
	s.timeout = timeout
	s.deadline = time.Time{}
	if deadline && timeout > 0 {
		s.deadline = time.Now().Add(timeout)
	}
}

func (s *stream) limit() time.Time {
	if !s.deadline.IsZero() {
		return s.deadline
	}
	if s.timeout <= 0 {
		return time.Time{}
	}
	return time.Now().Add(s.timeout)
}

// classify turns an I/O error into a stream exception.
func classify(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) {
		return errTime
	}
	return errEOF
}

// write sends b with the time limit.
func (s *stream) write(b []byte) error {
	s.err = nil
	s.conn.SetWriteDeadline(s.limit())
	_, err := s.conn.Write(b)
	s.last = time.Now()
	if err != nil {
		s.err = classify(err)
		if s.err == errEOF {
			if cw, ok := s.conn.(interface{ CloseWrite() error }); ok {
				cw.CloseWrite()
			}
		}
	}
	return s.err
}

// put adds bytes to the output buffer, writing full blocks.
func (s *stream) put(b []byte) error {
	s.out = append(s.out, b...)
	for len(s.out) >= bufSize {
		err := s.write(s.out[:bufSize])
		s.out = s.out[bufSize:]
		if err != nil {
			return err
		}
	}
	return nil
}

// fputs sends a line with CRLF (smtp_fputs).
func (s *stream) fputs(line []byte) error {
	if err := s.put(line); err != nil {
		return err
	}
	return s.put([]byte("\r\n"))
}

// fwrite sends bytes without CRLF (smtp_fwrite).
func (s *stream) fwrite(b []byte) error { return s.put(b) }

// flush writes the pending output (smtp_flush).
func (s *stream) flush() error {
	if len(s.out) == 0 {
		return nil
	}
	err := s.write(s.out)
	s.out = s.out[:0]
	return err
}

// pending is the amount of buffered output (VSTREAM_BST_OUT_PEND).
func (s *stream) pending() int { return len(s.out) }

// purgeOut drops buffered output (vstream_fpurge write side).
func (s *stream) purgeOut() { s.out = s.out[:0] }

// getLine reads one reply line of at most bound bytes, without the line
// terminator, skipping the rest of a longer line (smtp_get with
// SMTP_GET_FLAG_SKIP). long reports a line that was cut.
func (s *stream) getLine(bound int) (line string, long bool, err error) {
	if err := s.flush(); err != nil {
		return "", false, err
	}
	s.conn.SetReadDeadline(s.limit())
	var buf []byte
	for {
		c, rerr := s.r.ReadByte()
		if rerr != nil {
			s.last = time.Now()
			s.err = classify(rerr)
			return "", false, s.err
		}
		if c == '\n' {
			break
		}
		if bound > 0 && len(buf) >= bound {
			s.r.UnreadByte()
			long = true
			break
		}
		buf = append(buf, c)
	}
	s.last = time.Now()
	if long {
		for {
			c, rerr := s.r.ReadByte()
			if rerr != nil {
				break
			}
			if c == '\n' {
				break
			}
		}
	}
	for len(buf) > 0 && buf[len(buf)-1] == '\r' {
		buf = buf[:len(buf)-1]
	}
	return string(buf), long, nil
}

// close ends the connection.
func (s *stream) close() error { return s.conn.Close() }

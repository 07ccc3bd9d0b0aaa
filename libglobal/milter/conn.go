package milter

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/util/syserr"
)

// timedIO applies the milter's current timeout to each read and write,
// as a VSTREAM with a timeout does.
type timedIO struct{ m *milter8 }

func (t timedIO) Read(p []byte) (int, error) {
	if t.m.timeout > 0 {
		t.m.nc.SetReadDeadline(time.Now().Add(t.m.timeout))
	}
	return t.m.nc.Read(p)
}

func (t timedIO) Write(p []byte) (int, error) {
	if t.m.timeout > 0 {
		t.m.nc.SetWriteDeadline(time.Now().Add(t.m.timeout))
	}
	return t.m.nc.Write(p)
}

// streamBuf is VSTREAM_BUFSIZE: small commands wait in the buffer until
// the next reply is read, as Postfix's double-buffered stream does.
const streamBuf = 4096

// attach makes nc the milter's stream.
func (m *milter8) attach(nc net.Conn) {
	m.nc = nc
	m.r = bufio.NewReaderSize(timedIO{m}, streamBuf)
	m.w = bufio.NewWriterSize(timedIO{m}, streamBuf)
	m.flushErr = nil
}

// errText is "%m" for an I/O error: glibc's words, Postfix's
// "Application error" for a plain end of file (errno 0; checked against
// the real smtpd), ETIMEDOUT's text for a deadline.
func (m *milter8) errText(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		if m.flushErr != nil {
			return m.errText(m.flushErr)
		}
		return "Application error"
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return syserr.Errno(syscall.ETIMEDOUT)
	}
	return syserr.Of(err)
}

// packet frames one command.
func packet(cmd byte, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(make([]byte, 0, 5+len(data)), uint32(1+len(data)))
	b = append(b, cmd)
	return append(b, data...)
}

// writeCmd queues one command; it reports true after a write error,
// which it has logged and turned into the default action.
func (m *milter8) writeCmd(cmd byte, data []byte) bool {
	if _, err := m.w.Write(packet(cmd, data)); err != nil {
		m.log.Warnf("milter %s: error writing command: %s", m.name, m.errText(err))
		m.commError()
		return true
	}
	return false
}

// readResp reads a reply's length and command byte (milter8_read_resp).
func (m *milter8) readResp(event byte) (cmd byte, dataLen int64, ok bool) {
	if m.w.Buffered() > 0 {
		if err := m.w.Flush(); err != nil && m.flushErr == nil {
			m.flushErr = err
		}
	}
	var hdr [4]byte
	if _, err := io.ReadFull(m.r, hdr[:]); err != nil {
		m.log.Warnf("milter %s: can't read %s reply packet header: %s", m.name, cmdName(event), m.errText(err))
		m.commError()
		return 0, 0, false
	}
	n := int64(binary.BigEndian.Uint32(hdr[:]))
	switch {
	case n < 1:
		m.log.Warnf("milter %s: bad packet length: %d", m.name, n)
		m.commError()
		return 0, 0, false
	case n > maxData:
		m.log.Warnf("milter %s: unreasonable packet length: %d > %d", m.name, n, int64(maxData))
		m.commError()
		return 0, 0, false
	}
	c, err := m.r.ReadByte()
	if err != nil {
		m.log.Warnf("milter %s: EOF while reading command code: %s", m.name, m.errText(err))
		m.commError()
		return 0, 0, false
	}
	return c, n - 1, true
}

// The read* helpers take reply data as milter8_read_data does, counting
// down *left; each logs and falls back to the default action on error.

func (m *milter8) readLong(left *int64) (uint32, bool) {
	if *left < 4 {
		m.log.Warnf("milter %s: input packet too short for network long", m.name)
		m.commError()
		return 0, false
	}
	var b [4]byte
	if _, err := io.ReadFull(m.r, b[:]); err != nil {
		m.log.Warnf("milter %s: EOF while reading network long: %s", m.name, m.errText(err))
		m.commError()
		return 0, false
	}
	*left -= 4
	return binary.BigEndian.Uint32(b[:]), true
}

func (m *milter8) readBuffer(left *int64) ([]byte, bool) {
	buf := make([]byte, 0, min(*left, 1<<16))
	w := bytesWriter{&buf}
	if n, err := io.CopyN(w, m.r, *left); err != nil || n != *left {
		if err == nil {
			err = io.EOF
		}
		m.log.Warnf("milter %s: EOF while reading data: %s", m.name, m.errText(err))
		m.commError()
		return nil, false
	}
	*left = 0
	return buf, true
}

type bytesWriter struct{ b *[]byte }

func (w bytesWriter) Write(p []byte) (int, error) { *w.b = append(*w.b, p...); return len(p), nil }

func (m *milter8) readString(left *int64) (string, bool) {
	if *left < 1 {
		m.log.Warnf("milter %s: packet too short for string", m.name)
		m.commError()
		return "", false
	}
	var s []byte
	for {
		c, err := m.r.ReadByte()
		if err != nil {
			m.log.Warnf("milter8_read_data: milter %s: EOF while reading string: %s", m.name, m.errText(err))
			m.commError()
			return "", false
		}
		*left--
		if c == 0 {
			return string(s), true
		}
		s = append(s, c)
		if *left <= 0 {
			m.log.Warnf("milter8_read_data: milter %s: missing string null termimator", m.name)
			m.commError()
			return "", false
		}
	}
}

// readEnd checks that a reply had no more data than its fields.
func (m *milter8) readEnd(left int64) bool {
	if left > 0 {
		m.log.Warnf("milter8_read_data: left-over data %d bytes", left)
		m.commError()
		return false
	}
	return true
}

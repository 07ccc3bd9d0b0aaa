package main

import (
	"errors"
	"net"
	"syscall"
	"time"
)

// How a session wants its client's input (event_enable_read with the
// read handler's way of reading).
type readMode int

const (
	readOff  readMode = iota
	readPeek          // look without consuming (MSG_PEEK), as the early tests and the PROXY reader do
	readData          // consume up to one buffer (VSTREAM_BUFSIZE) per event
)

const streamBufSize = 4096

// readState is the session's read request: one goroutine per session
// waits for input and runs the handler with the screen locked.
type readState struct {
	mode    readMode
	size    int
	handler func(data []byte, err error)
	gen     uint64
	running bool
}

// enableRead asks for handler to run when input arrives (or the client
// hangs up): with the data peeked or read, at most size bytes.
func (s *session) enableRead(mode readMode, size int, handler func(data []byte, err error)) {
	s.read.mode, s.read.size, s.read.handler = mode, size, handler
	s.read.gen++
	if !s.read.running && s.conn != nil {
		s.read.running = true
		go s.readLoop(s.conn)
	}
}

// disableRead cancels the read request (event_disable_readwrite); a
// goroutine blocked in a read is woken by an expired deadline.
func (s *session) disableRead() {
	s.read.mode, s.read.handler = readOff, nil
	s.read.gen++
	if s.conn != nil {
		s.conn.SetReadDeadline(time.Unix(1, 0))
	}
}

func (s *session) readLoop(mine net.Conn) {
	mu := &s.sc.mu
	var buf []byte
	for {
		mu.Lock()
		if s.conn != mine {
			mu.Unlock()
			return // the stream was swapped (STARTTLS); another reader took over
		}
		if s.freed || s.conn == nil || s.read.mode == readOff {
			s.read.running = false
			mu.Unlock()
			return
		}
		mode, gen, conn := s.read.mode, s.read.gen, s.conn
		if cap(buf) < s.read.size {
			buf = make([]byte, s.read.size)
		}
		buf = buf[:s.read.size]
		conn.SetReadDeadline(time.Time{})
		mu.Unlock()
		var n int
		var err error
		if mode == readPeek {
			n, err = peek(s.raw, buf)
		} else {
			n, err = conn.Read(buf)
		}
		mu.Lock()
		if !s.freed && s.conn == mine && gen == s.read.gen && s.read.handler != nil {
			s.read.handler(buf[:max(n, 0)], err)
		}
		mu.Unlock()
	}
}

// peek waits for input and returns a copy of what is there without
// consuming it; n == 0 with a nil error is the end of the stream.
func peek(raw syscall.RawConn, buf []byte) (n int, err error) {
	if raw == nil {
		return 0, errors.New("not a socket")
	}
	rerr := raw.Read(func(fd uintptr) bool {
		n, _, err = syscall.Recvfrom(int(fd), buf, syscall.MSG_PEEK)
		return err != syscall.EAGAIN
	})
	if rerr != nil {
		return 0, rerr
	}
	return n, err
}

// consume reads and drops exactly n bytes that peek has seen.
func consume(raw syscall.RawConn, n int) (int, error) {
	buf := make([]byte, n)
	var got int
	var err error
	rerr := raw.Read(func(fd uintptr) bool {
		got, _, err = syscall.Recvfrom(int(fd), buf, 0)
		return err != syscall.EAGAIN
	})
	if rerr != nil {
		return 0, rerr
	}
	return got, err
}

// writeNow makes one non-blocking write attempt.
func writeNow(raw syscall.RawConn, p []byte) (n int, err error) {
	if raw == nil {
		return 0, errors.New("not a socket")
	}
	werr := raw.Write(func(fd uintptr) bool {
		n, err = syscall.Write(int(fd), p)
		return true
	})
	if werr != nil {
		return 0, werr
	}
	return n, err
}

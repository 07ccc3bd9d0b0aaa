package testmilter

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"sync"
	"time"
)

// Server is a running test milter.
type Server struct {
	ln   net.Listener
	spec string

	mu       sync.Mutex
	script   Script
	sessions []*session
	conns    map[net.Conn]bool
	closed   bool
	wg       sync.WaitGroup
	changed  chan struct{}
}

type session struct {
	lines []string
	done  bool
}

// Listen starts a milter on network ("unix" or "tcp") and address.
func Listen(network, address string, s Script) (*Server, error) {
	ln, err := net.Listen(network, address)
	if err != nil {
		return nil, fmt.Errorf("testmilter: listen %s %s: %w", network, address, err)
	}
	spec := "unix:" + address
	if network != "unix" {
		spec = "inet:" + ln.Addr().String()
	}
	srv := &Server{ln: ln, spec: spec, script: s, conns: map[net.Conn]bool{}, changed: make(chan struct{})}
	srv.wg.Add(1)
	go srv.accept()
	return srv, nil
}

// Spec is the milter address as Postfix's smtpd_milters names it
// ("unix:/path" or "inet:127.0.0.1:port").
func (s *Server) Spec() string { return s.spec }

// SetScript replaces the script for sessions that start later.
func (s *Server) SetScript(sc Script) {
	s.mu.Lock()
	s.script = sc
	s.mu.Unlock()
}

// Close stops the server and every session, and waits for them.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.ln.Close()
	s.wg.Wait()
}

// Log returns the lines of every session so far, each session introduced
// by "SESSION n" and, when it ended, followed by "CLOSED".
func (s *Server) Log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for i, ss := range s.sessions {
		out = append(out, fmt.Sprintf("SESSION %d", i+1))
		out = append(out, ss.lines...)
		if ss.done {
			out = append(out, "CLOSED")
		}
	}
	return out
}

// Session returns the lines of session n (1-based) without the SESSION
// and CLOSED lines, or nil when there is no such session.
func (s *Server) Session(n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 1 || n > len(s.sessions) {
		return nil
	}
	return append([]string(nil), s.sessions[n-1].lines...)
}

// Sessions reports how many sessions started and how many ended.
func (s *Server) Sessions() (started, ended int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range s.sessions {
		if ss.done {
			ended++
		}
	}
	return len(s.sessions), ended
}

// WaitEnded waits until at least n sessions have ended, or timeout.
func (s *Server) WaitEnded(n int, timeout time.Duration) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		ended := 0
		for _, ss := range s.sessions {
			if ss.done {
				ended++
			}
		}
		s.mu.Unlock()
		if ended >= n {
			return nil
		}
		select {
		case <-ch:
		case <-deadline.C:
			return fmt.Errorf("testmilter: %d of %d sessions ended after %v", ended, n, timeout)
		}
	}
}

// notify wakes waiters; call with s.mu held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		ss := &session{}
		s.sessions = append(s.sessions, ss)
		s.conns[c] = true
		sc := s.script
		s.notify()
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(c, ss, sc)
			c.Close()
			s.mu.Lock()
			ss.done = true
			delete(s.conns, c)
			s.notify()
			s.mu.Unlock()
		}()
	}
}

func (s *Server) logf(ss *session, format string, a ...any) {
	s.mu.Lock()
	ss.lines = append(ss.lines, fmt.Sprintf(format, a...))
	s.notify()
	s.mu.Unlock()
}

// serve runs one session until EOF, QUIT, a fault or a read timeout.
func (s *Server) serve(c net.Conn, ss *session, sc Script) {
	br := bufio.NewReader(c)
	seen := map[byte]int{}
	var proto uint32
	for {
		c.SetReadDeadline(time.Now().Add(sc.readTimeout()))
		cmd, data, err := readPacket(br)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				s.logf(ss, "READ ERROR %v", err)
			}
			return
		}
		s.logf(ss, "%s", Decode(cmd, data))
		n := seen[cmd]
		seen[cmd]++
		if f, ok := sc.Faults[cmd]; ok && (f.N == n+1 || (f.N == 0 && n == 0)) {
			switch f.Kind {
			case FaultClose:
				return
			case FaultStall:
				continue
			case FaultGarbage:
				c.Write(f.Data)
				continue
			}
		}
		var out []byte
		switch cmd {
		case CmdOptneg:
			var rep []byte
			rep, proto = negotiate(data, sc)
			out = rep
		case CmdQuit:
			return
		default:
			for _, r := range sc.replyFor(cmd, n, proto) {
				out = append(out, r.packet()...)
			}
		}
		if len(out) > 0 {
			c.SetWriteDeadline(time.Now().Add(sc.readTimeout()))
			if _, err := c.Write(out); err != nil {
				return
			}
		}
	}
}

// negotiate builds the OPTNEG reply and returns the protocol mask in force.
func negotiate(data []byte, sc Script) ([]byte, uint32) {
	version := sc.Version
	if version == 0 && len(data) >= 4 {
		version = binary.BigEndian.Uint32(data)
	}
	body := be32(version)
	body = append(body, be32(sc.Actions)...)
	body = append(body, be32(sc.Protocol)...)
	stages := make([]int, 0, len(sc.SymLists))
	for st := range sc.SymLists {
		stages = append(stages, int(st))
	}
	sort.Ints(stages)
	for _, st := range stages {
		body = append(body, be32(uint32(st))...)
		body = append(body, cstr(sc.SymLists[uint32(st)])...)
	}
	return Reply{Code: CmdOptneg, Data: body}.packet(), sc.Protocol
}

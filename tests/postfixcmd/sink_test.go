package postfixcmd

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// tlsSink is an SMTP server with STARTTLS that accepts every message and
// records what each connection says, for the client-role tests.
type tlsSink struct {
	l     net.Listener
	cfg   *tls.Config
	mu    sync.Mutex
	conns [][]string
	wg    sync.WaitGroup
}

func startSink(t *testing.T, port int, certPEM, keyPEM string) *tlsSink {
	t.Helper()
	cert, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatalf("sink: %v", err)
	}
	s := &tlsSink{l: l, cfg: &tls.Config{Certificates: []tls.Certificate{cert},
		CurvePreferences: []tls.CurveID{tls.X25519, tls.CurveP256}}}
	t.Cleanup(func() { l.Close() })
	go s.accept()
	return s
}

func (s *tlsSink) accept() {
	for {
		c, err := s.l.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		n := len(s.conns)
		s.conns = append(s.conns, nil)
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(n, c)
		}()
	}
}

func (s *tlsSink) note(n int, line string) {
	s.mu.Lock()
	s.conns[n] = append(s.conns[n], line)
	s.mu.Unlock()
}

// serve is one SMTP session, bounded to a minute.
func (s *tlsSink) serve(n int, c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	say := func(text string) {
		w.WriteString(text + "\r\n")
		w.Flush()
	}
	say("220 sink.example ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			s.note(n, "closed")
			return
		}
		line = strings.TrimRight(line, "\r\n")
		s.note(n, line)
		cmd := strings.ToUpper(strings.Fields(line + " x")[0])
		switch cmd {
		case "EHLO":
			if _, ok := c.(*tls.Conn); ok {
				say("250-sink.example\r\n250 8BITMIME")
			} else {
				say("250-sink.example\r\n250-STARTTLS\r\n250 8BITMIME")
			}
		case "STARTTLS":
			say("220 2.0.0 Ready to start TLS")
			tc := tls.Server(c, s.cfg)
			if err := tc.Handshake(); err != nil {
				s.note(n, "handshake failed")
				return
			}
			s.note(n, "TLS "+tls.VersionName(tc.ConnectionState().Version))
			c = tc
			r, w = bufio.NewReader(tc), bufio.NewWriter(tc)
		case "DATA":
			say("354 go ahead")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					s.note(n, "closed in DATA")
					return
				}
				if l == ".\r\n" {
					break
				}
			}
			s.note(n, "(message)")
			say("250 2.0.0 Ok: queued")
		case "QUIT":
			say("221 2.0.0 Bye")
			return
		default:
			say("250 2.0.0 Ok")
		}
	}
}

// stop closes the listener and waits for the sessions to end.
func (s *tlsSink) stop() [][]string {
	s.l.Close()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(70 * time.Second):
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

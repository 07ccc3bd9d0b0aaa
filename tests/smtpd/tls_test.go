package smtpd

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/testcert"
)

// selfSigned returns a PEM certificate and key for mx.example.com.
func selfSigned(t *testing.T) (certPEM, keyPEM string) {
	t.Helper()
	certPEM, keyPEM, err := testcert.SelfSigned("mx.example.com")
	if err != nil {
		t.Fatal(err)
	}
	return certPEM, keyPEM
}

// tlsSession is a scripted client that can switch to TLS.
type tlsSession struct {
	conn    net.Conn
	r       *bufio.Reader
	replies []string
}

func (s *tlsSession) read() {
	for {
		s.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		l, err := s.r.ReadString('\n')
		if err != nil {
			s.replies = append(s.replies, "<EOF>")
			return
		}
		l = strings.TrimSuffix(l, "\r\n")
		s.replies = append(s.replies, l)
		if len(l) < 4 || l[3] != '-' {
			return
		}
	}
}

func (s *tlsSession) send(line string) {
	s.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(s.conn, "%s\r\n", line)
	s.read()
}

// tlsDialogue runs a session with STARTTLS in the middle ("<TLS>").
func tlsDialogue(addr string, steps []string) ([]string, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	s := &tlsSession{conn: c, r: bufio.NewReader(c)}
	s.read()
	for _, st := range steps {
		if st == "<TLS>" {
			tc := tls.Client(c, &tls.Config{InsecureSkipVerify: true, ServerName: "mx.example.com"})
			tc.SetDeadline(time.Now().Add(10 * time.Second))
			if err := tc.Handshake(); err != nil {
				return s.replies, err
			}
			st := tc.ConnectionState()
			s.replies = append(s.replies, fmt.Sprintf("<TLS %s>", tls.VersionName(st.Version)))
			s.conn, s.r = tc, bufio.NewReader(tc)
			continue
		}
		s.send(st)
	}
	return s.replies, nil
}

// TestDifferentialSTARTTLS compares STARTTLS with the real smtpd at the
// "may" and "encrypt" levels, with a certificate made in the test.
func TestDifferentialSTARTTLS(t *testing.T) {
	bin := ourBinaries(t)
	cert, key := selfSigned(t)
	master := ""
	for i, opts := range []string{
		"-o smtpd_tls_security_level=may",
		"-o smtpd_tls_security_level=encrypt",
		"-o smtpd_tls_security_level=may -o smtpd_tls_auth_only=yes -o smtpd_tls_loglevel=1",
	} {
		common := " -o smtpd_tls_cert_file=@ROOT@/etc/cert.pem -o smtpd_tls_key_file=@ROOT@/etc/key.pem " + opts
		master += fmt.Sprintf("127.0.0.1:%d inet n - n - - smtpd%s\n127.0.0.1:%d inet n - n - - gosmtpd%s\n",
			23300+2*i, common, 23301+2*i, common)
	}
	in := newInstance(t, "", master, map[string]string{"gosmtpd": filepath.Join(bin, "smtpd")},
		map[string]string{"cert.pem": cert, "key.pem": key})
	cases := []struct {
		port  int
		steps []string
	}{
		{23300, []string{"EHLO c.example", "STARTTLS now", "MAIL FROM:<a@example.org>", "RSET", "STARTTLS", "<TLS>",
			"EHLO c.example", "STARTTLS", "MAIL FROM:<a@example.org>", "RCPT TO:<pfxtest@mx.example.com>", "DATA",
			"Subject: over TLS\r\n\r\nsecret\r\n.", "QUIT"}},
		{23300, []string{"EHLO c.example", "MAIL FROM:<a@example.org>", "STARTTLS", "<TLS>", "RCPT TO:<pfxtest@mx.example.com>",
			"HELO c.example", "QUIT"}},
		{23302, []string{"EHLO c.example", "MAIL FROM:<a@example.org>", "VRFY x", "NOOP", "STARTTLS", "<TLS>", "EHLO c.example",
			"MAIL FROM:<a@example.org>", "QUIT"}},
		{23304, []string{"EHLO c.example", "STARTTLS", "<TLS>", "EHLO c.example", "QUIT"}},
	}
	for i, tc := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			w := newLogWatch(in.path("log/maillog"))
			real, err1 := tlsDialogue(fmt.Sprintf("127.0.0.1:%d", tc.port), tc.steps)
			realLog := w.lines("smtpd")
			w = newLogWatch(in.path("log/maillog"))
			ours, err2 := tlsDialogue(fmt.Sprintf("127.0.0.1:%d", tc.port+1), tc.steps)
			ourLog := w.lines("gosmtpd")
			if err1 != nil || err2 != nil {
				t.Fatalf("real: %v, ours: %v\nreal %q\nours %q", err1, err2, real, ours)
			}
			if a, b := strings.Join(maskAll(real), "\n"), strings.Join(maskAll(ours), "\n"); a != b {
				t.Errorf("replies differ\n--- real\n%s\n--- ours\n%s", a, b)
			}
			if a, b := strings.Join(maskAll(realLog), "\n"), strings.Join(maskAll(ourLog), "\n"); a != b {
				t.Errorf("log lines differ\n--- real\n%s\n--- ours\n%s", a, b)
			}
		})
	}
}

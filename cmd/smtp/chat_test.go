package main

import (
	"net"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/ehlomask"
	"gopostfix/libglobal/util/msg"
)

// pipeSession returns a session whose server side writes text.
func pipeSession(t testing.TB, text string) *session {
	c, srv := net.Pipe()
	go func() {
		srv.Write([]byte(text))
		srv.Close()
	}()
	t.Cleanup(func() { c.Close() })
	s := newSession(newStream(c), msg.New(), "host", "192.0.2.1", 25, time.Now(), false, 0)
	s.lineLimit = 2048
	s.st.setup(5*time.Second, false)
	return s
}

func TestResp(t *testing.T) {
	tests := []struct {
		in   string
		code int
		dsn  string
		str  string
	}{
		{"250 2.0.0 Ok\r\n", 250, "2.0.0", "250 2.0.0 Ok"},
		{"550-5.1.1 <a@b>: rejected:\r\n550 5.1.1 unknown\r\n", 550, "5.1.1", "550-5.1.1 <a@b>: rejected:\n550 5.1.1 unknown"},
		{"451 temporary\r\n", 451, "4.0.0", "451 temporary"},
		{"452 5.1.1 class mismatch\r\n", 452, "4.0.0", "452 5.1.1 class mismatch"},
		{"354 End data\r\n", 354, "5.5.0", "354 End data"},
		{"hello there\r\n250 ok\r\n", 250, "2.0.0", "hello there\n250 ok"},
		{"250\r\n", 250, "2.0.0", "250"},
		{"220 host\tESMTP\x01\r\n", 220, "2.0.0", "220 host?ESMTP?"},
	}
	for _, tc := range tests {
		r, err := pipeSession(t, tc.in).resp()
		if err != nil || r.code != tc.code || r.dsn != tc.dsn || r.str != tc.str {
			t.Errorf("%q: got %d %q %q %v, want %d %q %q", tc.in, r.code, r.dsn, r.str, err, tc.code, tc.dsn, tc.str)
		}
	}
	if _, err := pipeSession(t, "250-partial\r\n").resp(); err != errEOF {
		t.Errorf("EOF inside a reply: %v, want errEOF", err)
	}
}

func FuzzResp(f *testing.F) {
	for _, s := range []string{"250 ok\r\n", "550-a\r\n550 b\r\n", "junk\r\n\r\n", "2\r\n", "999 9.9.9 x\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r, err := pipeSession(t, in).resp()
		if err == nil && r.code != 0 && (r.code < 100 || r.code > 999) {
			t.Errorf("code %d from %q", r.code, in)
		}
		if err == nil && strings.Contains(r.str, "\r") {
			t.Errorf("CR left in %q", r.str)
		}
	})
}

func TestQuote821(t *testing.T) {
	for in, want := range map[string]string{
		"user@example.com":       "user@example.com",
		"first last@example.com": `"first last"@example.com`,
		"a..b@example.com":       `"a..b"@example.com`,
		`a"b@example.com`:        `"a\"b"@example.com`,
		"jörg@ok.test":           "jörg@ok.test",
	} {
		if got := quote821Local(in); got != want {
			t.Errorf("quote821Local(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestXtext(t *testing.T) {
}

func TestEhloMask(t *testing.T) {
	m := ehlomask.Mask("pipelining, smtputf8 silent-discard bogus")
	if m != ehlomask.Pipelining|ehlomask.SMTPUTF8|ehlomask.Silent {
		t.Errorf("mask %x", m)
	}
	if s := ehlomask.String(ehlomask.Pipelining | ehlomask.SMTPUTF8); s != "PIPELINING EHLO_MASK_SMTPUTF8" {
		t.Errorf("string %q", s)
	}
}

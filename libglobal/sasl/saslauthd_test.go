package sasl

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSaslauthdRequest(t *testing.T) {
	got, err := SaslauthdRequest("user", "pw", "smtp", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []byte("\x00\x04user\x00\x02pw\x00\x04smtp\x00\x00")
	if !bytes.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	// libsasl2's 8192-byte buffer holds 8162 bytes of fields.
	if _, err := SaslauthdRequest(strings.Repeat("u", 8162-6), "p", "smtp", "r"); err != nil {
		t.Fatalf("8162 bytes: %v", err)
	}
	_, err = SaslauthdRequest(strings.Repeat("u", 8162-5), "p", "smtp", "r")
	if err == nil || err.Error() != "saslauthd request too large" {
		t.Fatalf("8163 bytes: %v", err)
	}
}

func TestReadSaslauthdReply(t *testing.T) {
	tests := []struct {
		in      string
		ok      bool
		text    string
		errText string
	}{
		{"\x00\x02OK", true, "OK", ""},
		{"\x00\x0aOK success", true, "OK success", ""},
		{"\x00\x02NO", false, "NO", ""},
		{"\x00\x03NO.", false, "NO.", ""},
		{"\x00\x01O", false, "", "bad response from saslauthd"},
		{"\x00", false, "", "size read failed"},
		{"\x00\x05OK", false, "", "read failed"},
	}
	for _, tt := range tests {
		ok, text, err := ReadSaslauthdReply(strings.NewReader(tt.in))
		errText := ""
		if err != nil {
			errText = err.Error()
		}
		if ok != tt.ok || text != tt.text || errText != tt.errText {
			t.Errorf("%q: got %v %q %q, want %v %q %q", tt.in, ok, text, errText, tt.ok, tt.text, tt.errText)
		}
	}
	// Longer answers are cut to libsasl2's 1023 bytes.
	long := append(binary.BigEndian.AppendUint16(nil, 2000), bytes.Repeat([]byte("x"), 2000)...)
	if _, text, err := ReadSaslauthdReply(bytes.NewReader(long)); err != nil || len(text) != 1023 {
		t.Fatalf("long answer: %d bytes, %v", len(text), err)
	}
}

// fakeSaslauthd answers one query per connection: OK for user/secret,
// NO otherwise; it sends each query it read to got.
func fakeSaslauthd(t *testing.T) (path string, got chan []string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "mux")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got = make(chan []string, 10)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.SetDeadline(time.Now().Add(5 * time.Second))
			var f []string
			for range 4 {
				var n [2]byte
				if _, err := io.ReadFull(c, n[:]); err != nil {
					break
				}
				b := make([]byte, binary.BigEndian.Uint16(n[:]))
				io.ReadFull(c, b)
				f = append(f, string(b))
			}
			got <- f
			if len(f) == 4 && f[0] == "user" && f[1] == "secret" {
				c.Write([]byte("\x00\x02OK"))
			} else {
				c.Write([]byte("\x00\x02NO"))
			}
			c.Close()
		}
	}()
	return path, got
}

func TestSaslauthdVerify(t *testing.T) {
	path, got := fakeSaslauthd(t)
	ok, err := SaslauthdVerify(path, "user", "secret", "smtp", "example.com", time.Second)
	if !ok || err != nil {
		t.Fatalf("good password: %v %v", ok, err)
	}
	if f := <-got; strings.Join(f, "|") != "user|secret|smtp|example.com" {
		t.Fatalf("query %q", f)
	}
	if ok, err := SaslauthdVerify(path, "user", "bad", "smtp", "", time.Second); ok || err != nil {
		t.Fatalf("bad password: %v %v", ok, err)
	}
	<-got
	_, err = SaslauthdVerify(filepath.Join(t.TempDir(), "none"), "user", "secret", "smtp", "", time.Second)
	var se *SaslauthdError
	if !errors.As(err, &se) || se.Text != "cannot connect to saslauthd server: No such file or directory" {
		t.Fatalf("no socket: %v", err)
	}
}

func FuzzReadSaslauthdReply(f *testing.F) {
	for _, s := range []string{"\x00\x02OK", "\x00\x02NO", "\x00\x01", "", "\xff\xffOK"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		ok, text, err := ReadSaslauthdReply(bytes.NewReader(in))
		if err != nil {
			if ok || text != "" {
				t.Fatalf("error %v with %v %q", err, ok, text)
			}
			return
		}
		if len(text) < 2 || len(text) > 1023 || ok != strings.HasPrefix(text, "OK") {
			t.Fatalf("%v %q", ok, text)
		}
	})
}

package sasl

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"syscall"
	"testing"
)

func TestSasldbKey(t *testing.T) {
	// The key db_dump shows for "saslpasswd2 -c -u mx.example.com test".
	k := SasldbKey("test", "mx.example.com", "userPassword")
	if want := []byte("test\x00mx.example.com\x00userPassword"); !bytes.Equal(k, want) {
		t.Fatalf("key %q, want %q", k, want)
	}
	u, r, p, ok := SplitSasldbKey(k)
	if !ok || u != "test" || r != "mx.example.com" || p != "userPassword" {
		t.Fatalf("split %q %q %q %v", u, r, p, ok)
	}
	if _, _, _, ok := SplitSasldbKey([]byte("test\x00realm")); ok {
		t.Fatal("one NUL accepted")
	}
}

func TestSasldbPassword(t *testing.T) {
	tests := []struct {
		user, realm, pw string
		found           bool
	}{
		{"test", "mx.example.com", "secret", true},
		{"test", "other.example", "otherpw", true},
		{"test", "nowhere.example", "", false},
		{"nobody", "mx.example.com", "", false},
	}
	for _, tt := range tests {
		pw, found, err := SasldbPassword(openTestDB, testDBPath, tt.user, tt.realm)
		if err != nil || pw != tt.pw || found != tt.found {
			t.Errorf("%s@%s: %q %v %v", tt.user, tt.realm, pw, found, err)
		}
	}
	_, _, err := SasldbPassword(openTestDB, "/nowhere", "test", "mx.example.com")
	var oe *SasldbOpenError
	if !errors.As(err, &oe) || !errors.Is(err, syscall.ENOENT) ||
		err.Error() != "unable to open Berkeley db /nowhere: no such file or directory" {
		t.Fatalf("missing file: %v", err)
	}
	if _, _, err := SasldbPassword(nil, testDBPath, "test", "x"); !errors.As(err, &oe) {
		t.Fatalf("no opener: %v", err)
	}
}

func FuzzSplitSasldbKey(f *testing.F) {
	f.Add([]byte("test\x00mx.example.com\x00userPassword"))
	f.Add([]byte("\x00\x00"))
	f.Add([]byte("a\x00b"))
	f.Fuzz(func(t *testing.T, key []byte) {
		u, r, p, ok := SplitSasldbKey(key)
		if !ok {
			return
		}
		if strings0(u) || strings0(r) {
			t.Fatalf("NUL in user or realm of %q", key)
		}
		if !bytes.Equal(SasldbKey(u, r, p), key) {
			t.Fatalf("%q does not round-trip", key)
		}
	})
}

func strings0(s string) bool { return bytes.IndexByte([]byte(s), 0) >= 0 }

func TestDecode64(t *testing.T) {
	tests := []struct {
		in   string
		out  string
		want status
	}{
		{"", "", statusOK},
		{"dGVzdA==", "test", statusOK},
		{"dGVzdDE=", "test1", statusOK},
		{"dGVzdDEy", "test12", statusOK},
		{"=", "", statusContinue},
		{"AGJ", "", statusContinue},
		{"dGVzdA", "", statusContinue},
		{"dGVzdA==dGVz", "", statusBadProt},
		{"dGVzdA=", "", statusContinue},
		{"dGVzdA==x", "", statusBadProt},
		{"!!!!", "", statusBadProt},
		{"dG=z", "", statusBadProt},
		{"\rabc", "", statusFail},
		{"dGVz\r\n", "", statusContinue},
	}
	for _, tt := range tests {
		out, st := decode64(tt.in)
		if st != tt.want || (st == statusOK && string(out) != tt.out) {
			t.Errorf("%q: %q %v, want %q %v", tt.in, out, st, tt.out, tt.want)
		}
	}
}

func FuzzDecode64(f *testing.F) {
	for _, s := range []string{"", "=", "dGVzdA==", "AGJ", "!!!!", "YQ==YQ=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, st := decode64(in)
		std, err := base64.StdEncoding.Strict().DecodeString(in)
		if strings.ContainsAny(in, "\r\n") {
			return // encoding/base64 skips line ends; libsasl2 does not
		}
		switch {
		case st == statusOK && err == nil && !bytes.Equal(out, std):
			t.Fatalf("%q: %q, encoding/base64 %q", in, out, std)
		case err == nil && st != statusOK && len(in) > 0 && in[0] != '\r':
			t.Fatalf("%q: encoding/base64 accepts, decode64 %v", in, st)
		}
		if st == statusOK && base64.StdEncoding.EncodeToString(out) != in && err == nil {
			t.Fatalf("%q does not round-trip", in)
		}
	})
}

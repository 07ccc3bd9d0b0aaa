package sasl

import (
	"bytes"
	"errors"
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
		err.Error() != "unable to open Berkeley db /nowhere: No such file or directory" {
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

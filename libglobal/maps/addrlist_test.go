package maps

import (
	"testing"

	"gopostfix/libglobal/util/msg"
)

func TestAddrList(t *testing.T) {
	reg := registry()
	tests := []struct {
		patterns string
		addr     string
		want     bool
		err      string
	}{
		{"127.0.0.0/8", "127.0.0.1", true, ""},
		{"127.0.0.0/8", "128.0.0.1", false, ""},
		{"192.0.2.1", "192.0.2.1", true, ""},
		{"[192.0.2.1]", "192.0.2.1", true, ""},
		{"192.0.2.1", "192.0.2.10", false, ""},
		{"[2001:db8::]/32", "2001:db8::1", true, ""},
		{"[::1]", "0:0:0:0:0:0:0:1", true, ""},
		{"127.0.0.0/8", "::1", false, ""},
		{"example.com", "192.0.2.1", false, ""},
		{"!192.0.2.0/24, 0.0.0.0/0", "192.0.2.7", false, ""},
		{"!192.0.2.0/24, 0.0.0.0/0", "198.51.100.7", true, ""},
		{"inline:{192.0.2.5=ok}", "192.0.2.5", true, ""},
		{"static:all", "192.0.2.5", true, ""},
		{"static:all", "unknown", false, ""},
		{"127.0.0.1/8", "127.0.0.1", false, `test: non-null host address bits in "127.0.0.1/8", perhaps you should use "127.0.0.0/8" instead`},
		{"127.0.0.0/33", "127.0.0.1", false, `test: bad mask length in "127.0.0.0/33"`},
	}
	for _, tc := range tests {
		l, err := NewMatchList(reg, "test", tc.patterns, AddrList, false, msg.Discard())
		if err != nil {
			t.Fatal(err)
		}
		got, err := l.Match(tc.addr)
		errText := ""
		if err != nil {
			errText = err.Error()
		}
		if got != tc.want || errText != tc.err {
			t.Errorf("%q ~ %q: got %v %q, want %v %q", tc.addr, tc.patterns, got, errText, tc.want, tc.err)
		}
	}
}

// TestMissingPatternFile: a daemon (dict_allow_surrogate) keeps a list
// whose /file pattern cannot be opened, and a lookup through it fails
// naming the stand-in as Postfix's match_list does ("non-existent:").
func TestMissingPatternFile(t *testing.T) {
	reg := registry()
	reg.AllowSurrogate = true
	missing := t.TempDir() + "/missing"
	l, err := NewMatchList(reg, "mynetworks", missing, AddrList, false, msg.Discard())
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Match("192.0.2.1")
	want := "mynetworks: non-existent:" + missing + ": table lookup problem"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	reg.AllowSurrogate = false
	if _, err := NewMatchList(reg, "mynetworks", missing, AddrList, false, msg.Discard()); err == nil {
		t.Error("a command opened a list with a missing pattern file")
	}
}

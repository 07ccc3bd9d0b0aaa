package namadr

import (
	"os"
	"path/filepath"
	"testing"

	"gopostfix/libglobal/util/dict"
)

type mapTable map[string]string

func (m mapTable) Lookup(k string) (string, bool, error) { v, ok := m[k]; return v, ok, nil }
func (m mapTable) Flags() dict.Flags                     { return dict.FlagFixed }

func TestMatch(t *testing.T) {
	dir := t.TempDir()
	inc := filepath.Join(dir, "nets")
	os.WriteFile(inc, []byte("# comment\n10.0.0.0/8\n!172.16.0.1, 172.16.0.0/12\n"), 0644)
	open := func(spec string) (Table, error) {
		return mapTable{"good.example": "ok", "198.51.100.7": "ok"}, nil
	}
	tests := []struct {
		patterns   []string
		parent     bool
		name, addr string
		want       bool
	}{
		{[]string{"127.0.0.0/8"}, false, "localhost", "127.0.0.1", true},
		{[]string{"127.0.0.0/8"}, false, "unknown", "192.0.2.1", false},
		{[]string{"[::1]/128"}, false, "localhost", "::1", true},
		{[]string{"[2001:db8::1]"}, false, "unknown", "2001:db8::1", true},
		{[]string{"192.0.2.5"}, false, "unknown", "192.0.2.5", true},
		{[]string{"!192.0.2.5", "192.0.2.0/24"}, false, "unknown", "192.0.2.5", false},
		{[]string{"!192.0.2.5", "192.0.2.0/24"}, false, "unknown", "192.0.2.6", true},
		{[]string{"example.com"}, false, "mail.example.com", "192.0.2.1", false},
		{[]string{"example.com"}, true, "mail.example.com", "192.0.2.1", true},
		{[]string{".example.com"}, false, "mail.example.com", "192.0.2.1", true},
		{[]string{".example.com"}, false, "example.com", "192.0.2.1", false},
		{[]string{"Example.COM"}, false, "example.com", "192.0.2.1", true},
		{[]string{"hash:/x"}, true, "mx.good.example", "192.0.2.1", true},
		{[]string{"hash:/x"}, false, "mx.good.example", "192.0.2.1", false},
		{[]string{"hash:/x"}, false, "unknown", "198.51.100.7", true},
		{[]string{inc}, false, "unknown", "10.1.2.3", true},
		{[]string{inc}, false, "unknown", "172.16.0.1", false},
		{[]string{inc}, false, "unknown", "172.17.0.1", true},
		{[]string{"!" + inc, "0.0.0.0/0"}, false, "unknown", "10.1.2.3", false},
		{[]string{"127.0.0.0/8"}, false, "unknown", "::ffff:127.0.0.1", true},
	}
	for _, tc := range tests {
		l, err := New("mynetworks", tc.patterns, tc.parent, open)
		if err != nil {
			t.Fatalf("%v: %v", tc.patterns, err)
		}
		got, err := l.Match(tc.name, tc.addr)
		if err != nil || got != tc.want {
			t.Errorf("%v parent=%v Match(%s, %s) = %v, %v; want %v", tc.patterns, tc.parent, tc.name, tc.addr, got, err, tc.want)
		}
	}
}

func TestBadPatterns(t *testing.T) {
	for _, p := range []string{"192.0.2.1/24", "1.2.3.0/33", "!"} {
		if _, err := New("mynetworks", []string{p}, false, nil); err == nil {
			t.Errorf("%q: no error", p)
		}
	}
}

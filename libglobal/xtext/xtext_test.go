package xtext

import "testing"

func TestQuote(t *testing.T) {
	for _, tc := range []struct{ in, special, want string }{
		{"rfc822;jörg@ok.test", "=", "rfc822;j+C3+B6rg@ok.test"},
		{"env+1=2", "+=", "env+2B1+3D2"},
		{"a=b c", "", "a=b+20c"},
		{"", "", ""},
	} {
		if got := Quote(tc.in, tc.special); got != tc.want {
			t.Errorf("Quote(%q, %q) = %q, want %q", tc.in, tc.special, got, tc.want)
		}
	}
}

func TestUnquote(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"a+2Bb", "a+b", true},
		{"j+c3+b6rg", "jörg", true},
		{"a=b", "a=b", true},
		{"x+", "", false},
		{"x+4", "", false},
		{"x+4G", "", false},
		{"+0x", "", false},
	} {
		got, ok := Unquote(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Unquote(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestUQuote(t *testing.T) {
	if got, ok := UQuote("utf-8;jörg+x@ok.test", "+="); !ok || got != `utf-8;j\x{F6}rg\x{2B}x@ok.test` {
		t.Errorf("UQuote = %q %v", got, ok)
	}
	if _, ok := UQuote("bad\xff", ""); ok {
		t.Error("UQuote accepted malformed UTF-8")
	}
}

func FuzzUnquote(f *testing.F) {
	for _, s := range []string{"a+2Bb", "x+", "+0x", "j+c3+b6rg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, ok := Unquote(s)
		if !ok {
			return
		}
		if back, ok := Unquote(Quote(u, "")); !ok || back != u {
			t.Errorf("round trip of %q: %q %v", u, back, ok)
		}
	})
}

package stringops

import "testing"

func TestHexQuote(t *testing.T) {
	for _, tc := range []struct {
		in      string
		mark    byte
		special string
		want    string
	}{
		{"a b%c", '%', "", "a%20b%25c"},
		{"env+1=2", '+', "=", "env+2B1+3D2"},
		{"\x00\xff", '+', "", "+00+FF"},
	} {
		q := HexQuote(tc.in, tc.mark, tc.special)
		if q != tc.want {
			t.Errorf("HexQuote(%q, %c, %q) = %q, want %q", tc.in, tc.mark, tc.special, q, tc.want)
		}
		if u, ok := HexUnquote(q, tc.mark); !ok || u != tc.in {
			t.Errorf("HexUnquote(%q) = %q, %v", q, u, ok)
		}
	}
	for _, bad := range []string{"%", "%4", "%4g", "x%zz"} {
		if _, ok := HexUnquote(bad, '%'); ok {
			t.Errorf("HexUnquote(%q) accepted", bad)
		}
	}
}

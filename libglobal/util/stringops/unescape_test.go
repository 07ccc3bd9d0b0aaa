package stringops

import "testing"

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{`plain`, "plain"},
		{`\a\b\f\n\r\t\v`, "\a\b\f\n\r\t\v"},
		{`\r\n`, "\r\n"},
		{`\101\1010\7\08`, "AA0\a\x008"},
		{`\777`, "\xff"},
		{`\\ \" \q`, `\ " q`},
		{`end\`, "end"},
		{"cut\x00here", "cut"},
		{`\000x`, "\x00x"},
		{`\09`, "\x009"},
	}
	for _, tc := range tests {
		if got := Unescape(tc.in); got != tc.want {
			t.Errorf("Unescape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestUnescapeEscape checks that Unescape reverses Escape.
func TestUnescapeEscape(t *testing.T) {
	for _, s := range []string{"", "a\\b", "\x01\x7f\xff\r\n\t", "100% \"quoted\""} {
		if got := Unescape(Escape([]byte(s))); got != s {
			t.Errorf("Unescape(Escape(%q)) = %q", s, got)
		}
	}
}

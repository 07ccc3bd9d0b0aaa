package stringops

import "testing"

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"HELO x", "HELO x"},
		{`a\b`, `a\\b`},
		{"\a\b\f\n\r\t\v", `\a\b\f\n\r\t\v`},
		{"\x00\x01\x1b\x7f", `\000\001\033\177`},
		{"\x80\xff é", `\200\377 \303\251`},
	}
	for _, tc := range tests {
		if got := Escape([]byte(tc.in)); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

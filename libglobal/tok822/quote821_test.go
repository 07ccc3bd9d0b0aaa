package tok822

import "testing"

func TestQuote821Local(t *testing.T) {
	for _, tc := range []struct {
		in    string
		flags QuoteFlags
		want  string
	}{
		{"a@example.org", QuoteDefault, "a@example.org"},
		{"a.b@example.org", QuoteDefault, "a.b@example.org"},
		{"a b@example.org", QuoteDefault, `"a b"@example.org`},
		{`a"b@example.org`, QuoteDefault, `"a\"b"@example.org`},
		{`a\b@example.org`, QuoteDefault, `"a\\b"@example.org`},
		{".a@example.org", QuoteDefault, `".a"@example.org`},
		{"a.@example.org", QuoteDefault, `"a."@example.org`},
		{"a..b@example.org", QuoteDefault, `"a..b"@example.org`},
		{"a@b@example.org", QuoteDefault, `"a@b"@example.org`},
		{"a@b@example.org", QuoteExposeAt, "a@b@example.org"},
		{"a:b@example.org", QuoteDefault, `"a:b"@example.org`},
		{"\xc3\xa9@example.org", QuoteDefault, "\xc3\xa9@example.org"},
		{"\xc3\xa9@example.org", 0, "\"\\\xc3\\\xa9\"@example.org"},
		{"@example.org", QuoteDefault, `""@example.org`},
		{"nodomain", QuoteDefault, "nodomain"},
	} {
		if got := Quote821Local(tc.in, tc.flags); got != tc.want {
			t.Errorf("Quote821Local(%q, %d) = %q, want %q", tc.in, tc.flags, got, tc.want)
		}
	}
}

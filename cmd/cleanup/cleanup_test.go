package main

import "testing"

func TestDSNPrepend(t *testing.T) {
	tests := map[string]string{
		"bad subject":       "5.7.1 bad subject",
		"4.2.0 try later":   "4.2.0 try later",
		"5.1.10 x":          "5.1.10 x",
		"5.1.1000 x":        "5.7.1 5.1.1000 x",
		"2.0.0 fine":        "2.0.0 fine",
		"3.0.0 weird":       "5.7.1 3.0.0 weird",
		"5.1.1":             "5.1.1",
		"5.1.1x not a code": "5.7.1 5.1.1x not a code",
	}
	for in, want := range tests {
		if got := dsnPrepend("5.7.1", in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestMasquerade(t *testing.T) {
	st := &state{cfg: &config{masqDomains: []string{"!sub.example.com", "example.com"},
		masqExceptions: map[string]bool{"root": true}}}
	tests := map[string]string{
		"user@host.example.com":      "user@example.com",
		"user@HOST.Example.COM":      "user@example.com",
		"user@example.com":           "user@example.com",
		"user@a.sub.example.com":     "user@a.sub.example.com",
		"root@host.example.com":      "root@host.example.com",
		"user@host.other.example":    "user@host.other.example",
		"user":                       "user",
		"user@x.notexample.com":      "user@x.notexample.com",
		"user@deep.host.example.com": "user@example.com",
	}
	for in, want := range tests {
		if got := st.masquerade(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestFoldLines(t *testing.T) {
	tests := []struct{ in, want string }{
		{"To: dsuser1@mx.delivspec.example,\n\"Quoted Name\" <dsuser2@mx.delivspec.example>",
			"To: dsuser1@mx.delivspec.example,\n\"Quoted Name\" <dsuser2@mx.delivspec.example>"},
		{"To: Some One <dsuser1@mx.delivspec.example>,\nother@remote.example",
			"To: Some One <dsuser1@mx.delivspec.example>, other@remote.example"},
		{"To: a,\nb,\nc", "To: a, b, c"},
	}
	for _, tc := range tests {
		if got := foldLines(tc.in); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMaskCRLF(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a\rb\nc\r\n", "a b c  "},
		// Bytes that are not UTF-8 pass through unchanged.
		{"caf\xe9 \xff\xfe", "caf\xe9 \xff\xfe"},
		{"caf\xe9\rx", "caf\xe9 x"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := maskCRLF(tc.in); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

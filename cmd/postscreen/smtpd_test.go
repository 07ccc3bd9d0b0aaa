package main

import (
	"strings"
	"testing"

	"gopostfix/libglobal/ehlomask"
)

func TestExtractAddr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<user@example.com>", "user@example.com"},
		{" <user@example.com> SIZE=10", "user@example.com"},
		{"user@example.com SIZE=10", "user@example.com"},
		{`<"quoted local"@example.com>`, "quoted local@example.com"},
		{`<a\>b@example.com>`, "a>b@example.com"},
		{"<@route,@other:user@example.com>", "user@example.com"},
		{"<>", ""},
		{`<trailing\`, "trailing"},
	}
	for _, tc := range tests {
		if got := extractAddr(tc.in); got != tc.want {
			t.Errorf("extractAddr(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNextToken(t *testing.T) {
	p := "  MAIL  FROM:<a>"
	if w, ok := nextToken(&p); !ok || w != "MAIL" || p != " FROM:<a>" {
		t.Errorf("got %q %v rest %q", w, ok, p)
	}
	p = "   "
	if _, ok := nextToken(&p); ok {
		t.Error("token in blanks")
	}
}

func TestEHLOReply(t *testing.T) {
	c := &config{myhostname: "mx.example", messageLimit: 1000, smtputf8: true}
	want := "250-mx.example\r\n250-SIZE 1000\r\n250-VRFY\r\n250-ETRN\r\n250-ENHANCEDSTATUSCODES\r\n" +
		"250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n"
	if got := c.ehloReply(0); got != want {
		t.Errorf("ehloReply(0) = %q", got)
	}
	all := ehlomask.Mask("size, VRFY etrn enhancedstatuscodes 8bitmime dsn smtputf8 chunking starttls bogus")
	if got := c.ehloReply(all); got != "250 mx.example\r\n" {
		t.Errorf("everything discarded: %q", got)
	}
	if got := ehlomask.String(ehlomask.Mask("chunking, silent-discard, Size")); got != "SIZE CHUNKING SILENT-DISCARD" {
		t.Errorf("ehlomask.String = %q", got)
	}
}

func TestEscape(t *testing.T) {
	if got := escapeN([]byte(strings.Repeat("x", 150)), 100); len(got) != 100 {
		t.Errorf("escapeN kept %d bytes", len(got))
	}
}

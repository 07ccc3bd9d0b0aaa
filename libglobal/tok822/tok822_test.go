package tok822

import (
	"strings"
	"testing"
)

func TestQuoteUnquoteTable(t *testing.T) {
	tests := []struct {
		internal, external string
	}{
		{"user@example.com", "user@example.com"},
		{"a b@example.com", `"a b"@example.com`},
		{"a@b@c", `"a@b"@c`},
		{`a"b@c`, `"a\"b"@c`},
		{`a\b@c`, `"a\\b"@c`},
		{"@r1,@r2:a b@c", `@r1,@r2:"a b"@c`},
		{"", `""`},
		{".a@b", `".a"@b`},
		{"a..b@c", `"a..b"@c`},
		{"a.@b", `"a."@b`},
		{"jé@example.org", "jé@example.org"},
		{"postmaster", "postmaster"},
	}
	for _, tc := range tests {
		if got := QuoteLocal(tc.internal, QuoteDefault); got != tc.external {
			t.Errorf("QuoteLocal(%q) = %q, want %q", tc.internal, got, tc.external)
		}
		if got := UnquoteLocal(tc.external); got != tc.internal {
			t.Errorf("UnquoteLocal(%q) = %q, want %q", tc.external, got, tc.internal)
		}
	}
}

func TestParseAddresses(t *testing.T) {
	tests := []struct {
		in       string
		internal []string // internal form of each Addr token, in order
	}{
		{"a@b", []string{"a@b"}},
		{"Joe <a@b>, c@d (C)", []string{"a@b", "c@d"}},
		{"a b", []string{"a", "b"}},
		{`"a b"@c`, []string{"a b@c"}},
		{"g: x@y, z@w;", []string{"x@y", "z@w"}},
		{"<>", nil},
		{"", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, a := range Grep(Parse(tc.in), Addr) {
			got = append(got, Internalize(a.Head, 0))
		}
		if strings.Join(got, "|") != strings.Join(tc.internal, "|") {
			t.Errorf("Parse(%q) addresses = %q, want %q", tc.in, got, tc.internal)
		}
	}
}

func TestRewriteAndEdit(t *testing.T) {
	tree := Parse("Joe <joe@old.example>")
	addrs := Grep(tree, Addr)
	if len(addrs) != 1 {
		t.Fatalf("want one address, got %d", len(addrs))
	}
	var seen string
	Rewrite(addrs[0], func(ext string) string {
		seen = ext
		return `"j o e"@new.example`
	})
	if seen != "joe@old.example" {
		t.Errorf("rewrite input %q", seen)
	}
	if got := Externalize(tree, 0, nil); got != `Joe <"j o e"@new.example>` {
		t.Errorf("after rewrite: %q", got)
	}

	// Split user@domain the way trivial-rewrite does: keep what is before
	// the last '@', take the domain away.
	a := ScanAddr("user@example.com")
	at := RFindType(a.Tail, '@')
	if at == nil {
		t.Fatal("no @ found")
	}
	domain := SubKeepBefore(a, at)
	if got := Internalize(a.Head, 0); got != "user" {
		t.Errorf("local part %q", got)
	}
	if got := Internalize(at, 0); got != "@example.com" || domain.Text != "com" {
		t.Errorf("cut part %q, last %q", got, domain.Text)
	}
	SubAppend(a, New('@', ""))
	SubAppend(a, New(Atom, "other.example"))
	if got := Internalize(a.Head, 0); got != "user@other.example" {
		t.Errorf("re-joined %q", got)
	}
	if FindType(a.Head, '@') == nil || Last(a.Head) != a.Tail {
		t.Error("tail pointer out of sync")
	}
}

func TestScanLimit(t *testing.T) {
	head, tail := ScanLimit("a b c d e f", 3)
	if n := len(Grep(head, 0)); n != 3 || tail.Text != "c" {
		t.Errorf("got %d tokens ending in %q", n, tail.Text)
	}
}

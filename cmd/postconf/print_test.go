package main

import (
	"strings"
	"testing"
)

func TestPrintLine(t *testing.T) {
	long := "proxy_read_maps = $local_recipient_maps $mydestination $virtual_alias_maps $virtual_alias_domains $virtual_mailbox_maps"
	tests := []struct {
		in   string
		fold bool
		want string
	}{
		{"relayhost = ", false, "relayhost =\n"},
		{"a =   x \t y\n z ", false, "a = x y z\n"},
		{"", false, "\n"},
		{long, false, long + "\n"},
		{long, true, "proxy_read_maps = $local_recipient_maps $mydestination $virtual_alias_maps\n" +
			"    $virtual_alias_domains $virtual_mailbox_maps\n"},
		{"x = " + strings.Repeat("w", 90), true, "x =\n    " + strings.Repeat("w", 90) + "\n"},
	}
	for _, tc := range tests {
		var b strings.Builder
		printLine(&b, tc.fold, tc.in)
		if b.String() != tc.want {
			t.Errorf("printLine(%q, %v) = %q, want %q", tc.in, tc.fold, b.String(), tc.want)
		}
	}
}

func TestParseServicePattern(t *testing.T) {
	tests := []struct {
		in       string
		min, max int
		want     string // parts joined by " ", "nil" for none
	}{
		{"smtp", 1, 2, "smtp *"},
		{"smtp/inet", 1, 2, "smtp inet"},
		{"smtp//inet", 1, 2, "smtp inet"},
		{"/smtp", 1, 2, "nil"},
		{"a/b/c", 1, 2, "nil"},
		{"sm*", 1, 2, "nil"},
		{"*/*/chroot", 1, 3, "* * chroot"},
		{"a", 2, 2, "nil"},
	}
	for _, tc := range tests {
		p := parseServicePattern(tc.in, tc.min, tc.max)
		got := "nil"
		if p != nil {
			got = strings.Join(p, " ")
		}
		if got != tc.want {
			t.Errorf("parseServicePattern(%q, %d, %d) = %q, want %q", tc.in, tc.min, tc.max, got, tc.want)
		}
	}
}

func TestModeNames(t *testing.T) {
	if got := (showNonDef | showDefs | commentOut).names(); got != "-d -n -#" {
		t.Errorf("got %q", got)
	}
}

func TestContent(t *testing.T) {
	for in, want := range map[string]string{
		"a = 1\n":   "a = 1\n",
		"  b\n":     "b\n",
		"  # c\n":   "",
		"#x\n":      "",
		" \t\r\n":   "",
		"\v\fz = 1": "z = 1",
	} {
		if got := content(in); got != want {
			t.Errorf("content(%q) = %q, want %q", in, got, want)
		}
	}
}

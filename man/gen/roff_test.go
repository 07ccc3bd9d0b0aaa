package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestInline(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain text`, `plain text`},
		{`back\slash`, `back\eslash`},
		{`set-gid and non-ASCII`, `set-gid and non-ASCII`},
		{`options -v, (-c dir) and "-t"`, `options \-v, (\-c dir) and "\-t"`},
		{`a -- b and -1 status`, `a \-\- b and \-1 status`},
		{`see postconf(5) and syslog(3).`, `see \fBpostconf\fR(5) and \fBsyslog\fR(3).`},
		{`$myhostname ESMTP`, `$\fBmyhostname\fR ESMTP`},
		{`TRANSPORT_time_limit`, `TRANSPORT_time_limit`},
		{`stress mode, biff`, `stress mode, biff`},
		{`mail_owner_x and mail_owner.`, `mail_owner_x and \fBmail_owner\fR.`},
		{"caf\u00e9", `caf\[u00E9]`},
	}
	for _, tc := range tests {
		if got := inline(tc.in); got != tc.want {
			t.Errorf("inline(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"a b c", 78, "a b c\n"},
		{"aa bb cc", 5, "aa bb\ncc\n"},
		{"aa .bb 'cc", 3, "aa\n\\&.bb\n\\&'cc\n"},
		{"  ", 78, ""},
	}
	for _, tc := range tests {
		if got := wrap(tc.in, tc.width); got != tc.want {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}

func TestTerm(t *testing.T) {
	names := map[string]bool{"postmap": true}
	tests := []struct{ in, want string }{
		{`-c config_dir`, `\fB\-c\fR \fIconfig_dir\fR`},
		{`postmap [-Nfinoprsuvw] [map_type:]file...`, `\fBpostmap\fR [\fB\-Nfinoprsuvw\fR] [\fImap_type:\fR]\fIfile\fR...`},
		{`-d queue_id|ALL|-`, `\fB\-d\fR \fIqueue_id\fR|\fBALL\fR|\fB\-\fR`},
		{`{a,b}`, `{\fIa\fR,\fIb\fR}`},
		{`myhostname`, `\fBmyhostname\fR`},
		{`p [-c dir] [name ...] x`, `\fIp\fR [\fB\-c\fR\~\fIdir\fR] [\fIname\fR\~...] \fIx\fR`},
	}
	for _, tc := range tests {
		if got := term(tc.in, names); got != tc.want {
			t.Errorf("term(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestGetoptSynopsis(t *testing.T) {
	tests := []struct{ optstr, want string }{
		{"+c:v", `\fBp\fR [\fB\-v\fR] [\fB\-c\fR\~\fIconfig_dir\fR]`},
		{"+aAbc:C:#", `\fBp\fR [\fB\-aAb#\fR] [\fB\-c\fR\~\fIconfig_dir\fR] [\fB\-C\fR\~\fIvalue\fR]`},
		{"", `\fBp\fR`},
	}
	for _, tc := range tests {
		if got := getoptSynopsis("p", tc.optstr); got != tc.want {
			t.Errorf("getoptSynopsis(%q) = %q, want %q", tc.optstr, got, tc.want)
		}
	}
}

func TestTagged(t *testing.T) {
	tests := []struct {
		in   string
		want []entry
		ok   bool
	}{
		{"-a\n\tone\n\ttwo\n-b\n\n\tthree\n\n\tfour\n", []entry{{"-a", []string{"one two"}}, {"-b", []string{"three", "four"}}}, true},
		{"-a\n-b\n", []entry{{"-a", nil}, {"-b", nil}}, false},
		{"\tindented first\n", nil, false},
		{"x\n  spaces\n", nil, false},
	}
	for _, tc := range tests {
		got, ok := tagged(tc.in)
		if ok != tc.ok || ok && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("tagged(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"anvil", "Command anvil is Postfix's connection server (anvil(8) of 3.7): more. Next.", "Postfix's connection server"},
		{"cleanup", "Command cleanup is Postfix's cleanup(8) daemon: it does.", "Postfix's cleanup daemon"},
		{"postalias", "Command postalias creates alias databases, as postalias(1) does. Next.", "creates alias databases"},
		{"x", "Command x is the\nthing. Next sentence.", "thing"},
		{"y", "Y does it; really.", "Y does it"},
	}
	for _, tc := range tests {
		if got := summary(&program{Name: tc.name, Doc: tc.doc}); got != tc.want {
			t.Errorf("summary(%q) = %q, want %q", tc.doc, got, tc.want)
		}
	}
}

func TestDocSections(t *testing.T) {
	secs, order := docSections("Intro.\n\n# Options\n\nA.\n\n# Usage\n\n\tx -y\n\n# Options\n\nB.\n")
	if got := strings.Join(order, "|"); got != "DESCRIPTION|OPTIONS|SYNOPSIS" {
		t.Errorf("order %q", got)
	}
	if n := len(secs["OPTIONS"].blocks); n != 2 {
		t.Errorf("repeated heading: %d blocks, want 2", n)
	}
	// A comment that starts with a heading has an empty description,
	// which the page leaves out.
	p := &program{Name: "x", Section: 1, Doc: "# Options\n\nA.\n"}
	if pg := page(p, []*program{p}); strings.Contains(pg, ".SH DESCRIPTION") {
		t.Errorf("empty DESCRIPTION section:\n%s", pg)
	}
}

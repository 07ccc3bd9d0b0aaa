package main

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestReadFileEntries(t *testing.T) {
	in := "# comment\n" +
		"$queue_directory/active:d:$mail_owner:-:700:ucr\n" +
		"$manpage_directory/man8/oqmgr.8postfix.gz:f:root:-:644:\n" +
		"$x:f:root:-:644:u:extra:fields\n" +
		"back\\:slash:f\n" +
		"\n" +
		"last line without newline:f"
	got := readFileEntries(strings.NewReader(in))
	want := []fileEntry{
		{"# comment", "", "", "", "", ""},
		{"$queue_directory/active", "d", "$mail_owner", "-", "700", "ucr"},
		{"$manpage_directory/man8/oqmgr.8postfix.gz", "f", "root", "-", "644", ""},
		{"$x", "f", "root", "-", "644", "u"},
		{"back:slash", "f", "", "", "", ""},
		{"", "", "", "", "", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestExpandShellVars(t *testing.T) {
	vars := map[string]string{"queue_directory": "/q", "mail_owner": "postfix", "a1": "A"}
	for _, tc := range []struct{ in, want string }{
		{"$queue_directory/active", "/q/active"},
		{"${queue_directory}x", "/qx"},
		{"$mail_owner", "postfix"},
		{"$unknown/x", "/x"},
		{"$a1$a1", "AA"},
		{"$", "$"},
		{"a$-b", "a$-b"},
		{"${open", "${open"},
	} {
		if got := expandShellVars(tc.in, vars); got != tc.want {
			t.Errorf("expandShellVars(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseMode(t *testing.T) {
	for _, tc := range []struct {
		in     string
		mode   uint32
		digits int
		ok     bool
	}{
		{"755", 0o755, 3, true}, {"2755", 0o2755, 4, true}, {"00700", 0o700, 5, true},
		{"", 0, 0, false}, {"9", 0, 0, false}, {"u+x", 0, 0, false}, {"17777", 0, 0, false},
	} {
		m, d, ok := parseMode(tc.in)
		if m != tc.mode || d != tc.digits || ok != tc.ok {
			t.Errorf("parseMode(%q) = %o %d %v", tc.in, m, d, ok)
		}
	}
}

func TestGetopts(t *testing.T) {
	for _, tc := range []struct {
		args []string
		spec string
		opts map[byte]string
		rest []string
		ok   bool
	}{
		{[]string{"-a", "rsa", "-b2048", "h1", "h2"}, "a:b:", map[byte]string{'a': "rsa", 'b': "2048"}, []string{"h1", "h2"}, true},
		{[]string{"--", "-a"}, "a:", map[byte]string{}, []string{"-a"}, true},
		{[]string{"-x"}, "a:", nil, nil, false},
		{[]string{"-a"}, "a:", nil, nil, false},
		{[]string{"-", "x"}, "a:", map[byte]string{}, []string{"-", "x"}, true},
		{[]string{"-a", "1", "-a", "2"}, "a:", map[byte]string{'a': "2"}, []string{}, true},
	} {
		opts, rest, ok := getopts(tc.args, tc.spec)
		if ok != tc.ok || ok && (!reflect.DeepEqual(opts, tc.opts) || !reflect.DeepEqual(rest, tc.rest)) {
			t.Errorf("getopts(%q) = %v %q %v", tc.args, opts, rest, ok)
		}
	}
}

func TestStrftime(t *testing.T) {
	tm := time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)
	for _, tc := range []struct{ in, want string }{
		{"%Y%m%d-%H%M%S", "20240305-070809"},
		{"%F %T", "2024-03-05 07:08:09"},
		{"%y%j%q%%", "240651%"},
		{"%e|%b|%a", " 5|Mar|Tue"},
		{"%Q%", "%Q%"},
	} {
		if got := strftime(tc.in, tm); got != tc.want {
			t.Errorf("strftime(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzReadFileEntries(f *testing.F) {
	f.Add("$queue_directory/active:d:$mail_owner:-:700:ucr\n$x:f:root:-:644:\n")
	f.Add("a\\\\b:c\\:d\n::::::::\n")
	f.Fuzz(func(t *testing.T, in string) {
		for _, e := range readFileEntries(strings.NewReader(in)) {
			if strings.Contains(e.typ, ":") && strings.Count(in, "\\") == 0 {
				t.Fatalf("type field with a colon: %q", e.typ)
			}
		}
	})
}

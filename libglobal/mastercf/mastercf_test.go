package mastercf

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"gopostfix/libglobal/util/msg"
)

func TestSplitQ(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"foo bar", []string{"foo", "bar"}},
		{"{ bar }  ", []string{"{ bar }"}},
		{"foo { bar } baz", []string{"foo", "{ bar }", "baz"}},
		{"foo{ bar } baz", []string{"foo{ bar }", "baz"}},
		{"foo { bar }baz", []string{"foo", "{ bar }baz"}},
		{"a {b {c d} e} f", []string{"a", "{b {c d} e}", "f"}},
		{"a } b", []string{"a", "}", "b"}},
		{"a\t{x\ny}\r\nz", []string{"a", "{x\ny}", "z"}},
		{"{unclosed x y", []string{"{unclosed x y"}},
	}
	for _, tc := range tests {
		if got := SplitQ(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SplitQ(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestExtractBraces(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"{ a b }", "a b", ""},
		{"{}", "", ""},
		{"{ a", "a", `missing '}' in "{ a"`},
		{"{a}b", "a", `syntax error after '}' in "{a}b"`},
		{"{{x} y}", "{x} y", ""},
	}
	for _, tc := range tests {
		got, err := ExtractBraces(tc.in)
		es := ""
		if err != nil {
			es = err.Error()
		}
		if got != tc.want || es != tc.err {
			t.Errorf("ExtractBraces(%q) = %q, %q; want %q, %q", tc.in, got, es, tc.want, tc.err)
		}
	}
}

func TestNormalize(t *testing.T) {
	const fixed = "s unix - - - - - cmd "
	tests := []struct {
		args  string
		want  []string
		warns string
	}{
		{"-v", []string{"-v"}, ""},
		{"-vo a=b", []string{"-v", "-o", "a=b"}, ""},
		{"-oa=b", []string{"-o", "a=b"}, ""},
		{"-o { a = b  c }", []string{"-o", "a=b  c"}, ""},
		{"-o{a=b}", []string{"-o", "a=b"}, ""},
		{"-osmtpd_client_restrictions=permit_mynetworks",
			[]string{"-o", "smtpd_client_restricti", "-o", "ns=permit_mynetw", "-o", "rks"}, ""},
		{"-o", []string{"-o"}, ""},
		{"-o {}", []string{"-o", ""}, "warning: master.cf: missing attribute name: \"\"\n"},
		{"-o {foo}", []string{"-o", "foo"}, "warning: master.cf: missing '=' after attribute name: \"foo\"\n"},
		{"-o {a=b", []string{"-o", "a=b"}, "warning: master.cf: missing '}' in \"{a=b\"\n"},
		{"- foo", []string{"-", "foo"}, ""},
		{"-- {a b}", []string{"--", "a b"}, ""},
		{"-x {c} {d e}", []string{"-x", "c", "d e"}, ""},
		{"flags=R { -a b } -o x", []string{"flags=R", "-a b", "-o", "x"}, ""},
	}
	for _, tc := range tests {
		var c msg.Capture
		e, err := Parse(fixed+tc.args, msg.New(&c))
		if err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		if got := e.Args(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %q want %q", tc.args, got, tc.want)
		}
		if c.String() != tc.warns {
			t.Errorf("%q: warnings %q want %q", tc.args, c.String(), tc.warns)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ line, err string }{
		{"a unix - - - - -", "bad field count"},
		{"a bogus - - - - - x", `invalid type field "bogus" in "a bogus - - - - - x"`},
		{"a unix yes - - - - x", `invalid private field "yes" in "a unix yes - - - - x"`},
		{"a unix - x - - - x", `invalid unprivileged field "x" in "a unix - x - - - x"`},
		{"a unix - - Y - - x", `invalid chroot field "Y" in "a unix - - Y - - x"`},
		{"a unix - - - 1x - x", `invalid wakeup field "1x" in "a unix - - - 1x - x"`},
		{"a unix - - - - -1 x", `invalid process_limit field "-1" in "a unix - - - - -1 x"`},
		{"a unix - - - 10? 0 x", ""},
		{"a unix - - - -? 0 x", ""},
		{"a unix-dgram - - - ? 0 x", ""},
		{"a unix - - - - 0 x\ny", ""},
		{"a inet - - - x - x\n y", `invalid wakeup field "x" in "a inet - - - x - x  y"`},
	}
	for _, tc := range tests {
		_, err := Parse(tc.line, nil)
		es := ""
		if err != nil {
			es = err.Error()
		}
		if es != tc.err {
			t.Errorf("Parse(%q) = %q, want %q", tc.line, es, tc.err)
		}
	}
	if _, err := Parse("x", nil); !errors.Is(err, ErrBadFieldCount) {
		t.Errorf("want ErrBadFieldCount, got %v", err)
	}
}

func TestReadBadFieldCount(t *testing.T) {
	in := "# c\nsmtp inet n - y - - smtpd\n\nbad unix -\n  -\n"
	_, err := ReadFrom(strings.NewReader(in), "/x/master.cf", nil)
	var le *LineError
	if !errors.As(err, &le) || err.Error() != "file /x/master.cf: line 4: bad field count" {
		t.Fatalf("got %v", err)
	}
}

func readGolden(t *testing.T) []*Entry {
	t.Helper()
	var c msg.Capture
	ents, err := Read("testdata/master.cf", msg.New(&c))
	if err != nil {
		t.Fatal(err)
	}
	if c.String() != "" {
		t.Fatalf("unexpected warnings %q", c.String())
	}
	return ents
}

func golden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The golden files are the real postconf -M, -Mf and -F on testdata/master.cf.
func TestFormatGolden(t *testing.T) {
	ents := readGolden(t)
	for _, tc := range []struct {
		file string
		fold bool
	}{{"M.golden", false}, {"Mf.golden", true}} {
		var b strings.Builder
		for _, e := range ents {
			b.WriteString(e.Format(tc.fold, nil))
		}
		if want := golden(t, tc.file); b.String() != want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.file, b.String(), want)
		}
	}
	var b strings.Builder
	for _, e := range ents {
		for f := 0; f < MinFields; f++ {
			b.WriteString(e.FormatField(f, FieldFormat{}))
		}
	}
	if want := golden(t, "F.golden"); b.String() != want {
		t.Errorf("F: got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestFormatExpand(t *testing.T) {
	e, err := Parse("s unix - - - - - cmd -o a=$x -o b=c", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := e.Format(false, func(v string) string { return strings.ReplaceAll(v, "$x", "1 2") })
	want := "s          unix  -       -       -       -       -       cmd -o {a=1 2} -o b=c\n"
	if got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

func TestParams(t *testing.T) {
	ents := readGolden(t)
	var got []string
	for _, e := range ents {
		for _, p := range e.Params() {
			got = append(got, e.NameSpace()+":"+p.Name+"="+p.Value)
		}
	}
	want := []string{
		"127.0.0.1:2525/inet:smtpd_tls_security_level=none",
		"127.0.0.1:2525/inet:smtpd_client_restrictions=$mynetworks,$t1",
		"127.0.0.1:2525/inet:smtpd_banner=hello   world",
		"127.0.0.1:2525/inet:myhostname=foo",
		"[::1]:submission/inet:syslog_name=postfix/sub",
		"mangled/inet:ns=permit_mynetw",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestEditParam(t *testing.T) {
	tests := []struct {
		line, name, value string
		remove            bool
		want              string
	}{
		{"s unix - - - - - c -o a=1 -v x", "a", "2", false, "-o a=2 -v x"},
		{"s unix - - - - - c -o a=1 -v x", "b", "2", false, "-o a=1 -v -o b=2 x"},
		{"s unix - - - - - c -o a=1 -o ab=3 -o a=4", "a", "", true, "-o ab=3"},
		{"s unix - - - - - c", "a", "1", false, "-o a=1"},
		{"s unix - - - - - c x", "a", "1", true, "x"},
	}
	for _, tc := range tests {
		e, err := Parse(tc.line, nil)
		if err != nil {
			t.Fatal(err)
		}
		e.EditParam(tc.name, tc.value, tc.remove)
		if got := strings.Join(e.Args(), " "); got != tc.want {
			t.Errorf("%q %s=%s: got %q want %q", tc.line, tc.name, tc.value, got, tc.want)
		}
	}
}

func TestEditField(t *testing.T) {
	e, _ := Parse("s unix - - - - - c -o a=1", nil)
	if err := e.EditField(FieldCommand, "smtpd -vo { x = y }", nil); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.Argv[FieldCommand:], " "); got != "smtpd -v -o x=y" {
		t.Errorf("got %q", got)
	}
	if err := e.EditField(FieldChroot, "maybe", nil); err == nil ||
		err.Error() != `invalid chroot field "maybe" in "maybe"` {
		t.Errorf("got %v", err)
	}
}

func TestDaemonArgs(t *testing.T) {
	got, err := DaemonArgs("x unix - n n - - pipe flags=R user=x argv=/bin/foo { -a b } -osmtpd=x")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"flags=R", "user=x", "argv=/bin/foo", "-a b", "-osmtpd=x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q want %q", got, want)
	}
	if _, err := DaemonArgs("x unix - n n - - pipe {a"); err == nil {
		t.Error("want brace error")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"smtp inet n - y - - smtpd",
		"127.0.0.1:2525 inet n - n - 10 smtpd -v -o a=b -o { b = c d } -vo x=y",
		"v unix - - - - - pipe flags=Rq user=nobody argv=/x ${recipient} { -a b }",
		"m inet n - n - - smtpd -osmtpd_client_restrictions=permit_mynetworks",
		"x unix - - - - - smtpd -o {} - foo -- {",
		"a unix - - - ? 0 x -o {a=b}c {{",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		e, err := Parse(line, nil)
		if err != nil {
			return
		}
		if len(e.Argv) < MinFields {
			t.Fatalf("short entry %q", e.Argv)
		}
		out := e.Format(true, nil)
		if !strings.HasSuffix(out, "\n") {
			t.Fatalf("unterminated output %q", out)
		}
		for f := 0; f < MinFields; f++ {
			e.FormatField(f, FieldFormat{Fold: true})
		}
		e.Params()
		e.EditParam("a", "b", false)
		e.EditParam("a", "", true)
		DaemonArgs(line)
	})
}

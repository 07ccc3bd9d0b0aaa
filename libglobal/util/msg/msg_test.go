package msg

import (
	"bytes"
	"testing"
)

func TestWriterSinkFormat(t *testing.T) {
	var buf bytes.Buffer
	l := New(NewWriterSink("postconf", &buf))
	code := -1
	l.Exit = func(c int) { code = c }
	l.Infof("hello %d", 1)
	l.Warnf("%s: unused parameter: %s", "/etc/postfix/main.cf", "x=y")
	l.Errorf("oops")
	l.Fatalf("open %s: %s", "main.cf", "No such file or directory")
	want := "postconf: hello 1\n" +
		"postconf: warning: /etc/postfix/main.cf: unused parameter: x=y\n" +
		"postconf: error: oops\n" +
		"postconf: fatal: open main.cf: No such file or directory\n"
	if buf.String() != want {
		t.Fatalf("got %q want %q", buf.String(), want)
	}
	if code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
}

func TestPercentWithoutArgs(t *testing.T) {
	var c Capture
	l := New(&c)
	l.Warnf("100% literal")
	if c.String() != "warning: 100% literal\n" {
		t.Fatalf("got %q", c.String())
	}
}

func TestTooManyErrors(t *testing.T) {
	var c Capture
	l := New(&c)
	code := 0
	l.Exit = func(n int) { code = n }
	for i := 0; i < maxErrors; i++ {
		l.Errorf("e%d", i)
	}
	if code != 1 {
		t.Fatalf("want fatal after %d errors", maxErrors)
	}
}

func TestNilLogger(t *testing.T) {
	var l *Logger
	l.Warnf("ignored")
	l.Debugf("ignored")
}

func TestPrintable(t *testing.T) {
	var c Capture
	l := New(&c)
	l.Warnf("a\tb\x01c\u00e9")
	l.Printable = true
	l.Warnf("a\tb\x01c\u00e9")
	want := "warning: a\tb\x01c\u00e9\nwarning: a?b?c??\n"
	if c.String() != want {
		t.Fatalf("got %q want %q", c.String(), want)
	}
}

func TestPrintableUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"j\xc3\xb6rg\n\tx": "j\xc3\xb6rg??x",
		"\xff\xc3(":        "??(",
		"\xe2\x82\xac\x80": "\xe2\x82\xac\x80",
		"plain":            "plain",
	} {
		if got := printableUTF8(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

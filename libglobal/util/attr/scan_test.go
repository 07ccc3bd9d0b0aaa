package attr

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestPrintEncodings(t *testing.T) {
	attrs := []Attr{Int("n", 4711), Int("neg", -1), Long("l", -2), Str("s", "v a"),
		Data("d", []byte{0, 1, 0xff}), Hash([]Pair{{"k1", "v1"}, {"k2", ""}})}
	cases := []struct {
		f    Format
		want string
	}{
		{Format0, "n\x004711\x00neg\x004294967295\x00l\x0018446744073709551614\x00s\x00v a\x00" +
			"d\x00AAH/\x00{\x00k1\x00v1\x00k2\x00\x00}\x00\x00"},
		{Format64, "bg==:NDcxMQ==\nbmVn:NDI5NDk2NzI5NQ==\nbA==:MTg0NDY3NDQwNzM3MDk1NTE2MTQ=\n" +
			"cw==:diBh\nZA==:AAH/\new==\nazE=:djE=\nazI=:\nfQ==\n\n"},
		{FormatPlain, "n=4711\nneg=4294967295\nl=18446744073709551614\ns=v a\nd=AAH/\n" +
			"{\x00\nk1=v1\nk2=\n}\x00\n\n"},
	}
	for _, c := range cases {
		if got := string(printed(c.f, attrs...)); got != c.want {
			t.Errorf("%v:\n got %q\nwant %q", c.f, got, c.want)
		}
	}
}

// TestRoundTripAllTypes prints every type in every format and scans it
// back.
func TestRoundTripAllTypes(t *testing.T) {
	for _, f := range []Format{Format0, Format64, FormatPlain} {
		var buf bytes.Buffer
		w := NewWriter(&buf, f)
		err := w.Print(Str(AttrProtocol, "x_protocol"), Int("i", -7), Long("l", 1<<40),
			Str("s", "text"), Data("d", []byte("bin\x00ary")),
			Func(func(w *Writer) error { return w.PrintMore(Str("inner", "yes")) }),
			Hash([]Pair{{"a", "1"}, {"b", "2"}, {"a", "dup"}}))
		if err != nil {
			t.Fatal(err)
		}
		var i int
		var l int64
		var s, inner string
		var d []byte
		h := map[string]string{}
		r := NewReader(&buf, f, "test")
		n, err := r.Scan(Strict, Expect(AttrProtocol, "x_protocol"), RecvInt("i", &i),
			RecvLong("l", &l), RecvStr("s", &s), RecvData("d", &d),
			RecvFunc(func(r *Reader, fl Flags) (int, error) { return r.Scan(fl, RecvStr("inner", &inner)) }),
			RecvHash(h))
		// Strict mode stops at the repeated hash key.
		if !errors.Is(err, ErrDuplicate) || n != 7 {
			t.Fatalf("%v: n=%d err=%v", f, n, err)
		}
		if i != -7 || l != 1<<40 || s != "text" || string(d) != "bin\x00ary" || inner != "yes" ||
			h["a"] != "1" || h["b"] != "2" {
			t.Fatalf("%v: got %d %d %q %q %q %v", f, i, l, s, d, inner, h)
		}
	}
}

func TestHashThenMore(t *testing.T) {
	for _, f := range []Format{Format0, Format64, FormatPlain} {
		data := printed(f, Str("x", "1"), Hash([]Pair{{"a", "1"}}), Int("after", 3))
		var x string
		var after int
		h := map[string]string{}
		n, err := NewReader(bytes.NewReader(data), f, "t").Scan(Strict,
			RecvStr("x", &x), RecvHash(h), RecvInt("after", &after))
		if err != nil || n != 3 || after != 3 || h["a"] != "1" {
			t.Fatalf("%v: n=%d err=%v after=%d h=%v", f, n, err, after, h)
		}
		// Without braces a hash takes all remaining pairs.
		data = printed(f, Str("p", "1"), Str("q", "2"))
		h = map[string]string{}
		n, err = NewReader(bytes.NewReader(data), f, "t").Scan(None, RecvHash(h))
		if err != nil || n != 2 || h["q"] != "2" {
			t.Fatalf("%v: bare hash n=%d err=%v h=%v", f, n, err, h)
		}
	}
}

func TestScanRules(t *testing.T) {
	type target struct{ a, b string }
	cases := []struct {
		name    string
		input   string
		flags   Flags
		wantN   int
		wantErr string
		wantA   string
		wantB   string
	}{
		{"exact", "a\x001\x00b\x002\x00\x00", Strict, 2, "", "1", "2"},
		{"skip extra", "x\x009\x00a\x001\x00b\x002\x00\x00", None, 2, "", "1", "2"},
		{"extra strict", "x\x009\x00a\x001\x00\x00", Strict, 0,
			"unexpected attribute x from t (expecting: a)", "", ""},
		{"trailing extra strict", "a\x001\x00b\x002\x00c\x003\x00\x00", Strict, 2,
			"unexpected attribute c from t (expecting: (list terminator))", "1", "2"},
		{"missing strict", "a\x001\x00\x00", Strict, 1, "missing attribute b in input from t", "1", ""},
		{"missing lax", "a\x001\x00\x00", None, 1, "", "1", ""},
		{"premature eof", "a\x001\x00b", Strict, -1,
			"unexpected end-of-input from t while reading input attribute name", "1", ""},
		{"eof in value", "a\x001\x00b\x00", Strict, -1,
			"premature end-of-input on t while reading input attribute value", "1", ""},
		{"empty value", "a\x00\x00b\x00\x00\x00", Strict, 2, "", "", ""},
	}
	for _, c := range cases {
		var tg target
		n, err := NewReader(strings.NewReader(c.input), Format0, "t").Scan(c.flags,
			RecvStr("a", &tg.a), RecvStr("b", &tg.b))
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if n != c.wantN || gotErr != c.wantErr || tg.a != c.wantA || tg.b != c.wantB {
			t.Errorf("%s: n=%d err=%q a=%q b=%q", c.name, n, gotErr, tg.a, tg.b)
		}
	}
}

func TestNumbers(t *testing.T) {
	cases := []struct {
		in   string
		want int
		ok   bool
	}{
		{"0", 0, true}, {"4294967295", -1, true}, {"4294967294", -2, true},
		{"-1", -1, true}, {" 12", 12, true}, {"+5", 5, true}, {"4294967296", 0, true},
		{"12x", 0, false}, {"", 0, false}, {"x", 0, false}, {"1 ", 0, false},
		{"99999999999999999999999", -1, true},
	}
	for _, c := range cases {
		var v int
		input := "n\x00" + c.in + "\x00\x00"
		_, err := NewReader(strings.NewReader(input), Format0, "t").Scan(Strict, RecvInt("n", &v))
		if (err == nil) != c.ok || (c.ok && v != c.want) {
			t.Errorf("%q: v=%d err=%v", c.in, v, err)
		}
		if !c.ok && err != nil && err.Error() != fmt.Sprintf(
			"malformed numerical data from t while reading input attribute value: %s", c.in) {
			t.Errorf("%q: message %q", c.in, err)
		}
	}
}

func TestExpectMismatch(t *testing.T) {
	data := printed(Format0, Str("protocol", "other_protocol"))
	n, err := NewReader(bytes.NewReader(data), Format0, "private/rewrite").Scan(Strict,
		Expect("protocol", ProtoRewrite))
	if n != -1 || !errors.Is(err, ErrMismatch) || err.Error() !=
		"unexpected protocol other_protocol from private/rewrite (expected: trivial_rewrite_protocol)" {
		t.Fatalf("n=%d err=%v", n, err)
	}
}

func TestImmediateEOF(t *testing.T) {
	for _, f := range []Format{Format0, Format64, FormatPlain} {
		var s string
		n, err := NewReader(strings.NewReader(""), f, "t").Scan(Strict, RecvStr("a", &s))
		if n != 0 || err != io.EOF {
			t.Errorf("%v: n=%d err=%v", f, n, err)
		}
	}
}

func TestFormat64Errors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"YQ==\n\n", "missing value for number attribute a from t"},
		{"YQ==:MQ==:Mg==\n\n", "multiple values for attribute a from t"},
		{"YQ==:M\n\n", "malformed base64 data from t: M"},
	}
	for _, c := range cases {
		var v int
		_, err := NewReader(strings.NewReader(c.in), Format64, "t").Scan(Strict, RecvInt("a", &v))
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: err=%v want %q", c.in, err, c.want)
		}
	}
}

func TestPlainNameWithoutValue(t *testing.T) {
	var s string
	_, err := NewReader(strings.NewReader("a\n\n"), FormatPlain, "t").Scan(Strict, RecvStr("a", &s))
	if err == nil || err.Error() != "missing value for string attribute a from t" {
		t.Fatalf("err=%v", err)
	}
}

func TestMoreStopsBeforeTerminator(t *testing.T) {
	data := printed(Format0, Str("request", "lookup"), Str("key", "k"))
	r := NewReader(bytes.NewReader(data), Format0, "t")
	var req, key string
	if n, err := r.Scan(Strict|More, RecvStr("request", &req)); err != nil || n != 1 || req != "lookup" {
		t.Fatalf("first: n=%d err=%v", n, err)
	}
	if n, err := r.Scan(Strict, RecvStr("key", &key)); err != nil || n != 1 || key != "k" {
		t.Fatalf("second: n=%d err=%v", n, err)
	}
	if _, err := r.Scan(Strict, RecvStr("key", &key)); err != io.EOF {
		t.Fatalf("not at end: %v", err)
	}
}

func TestPrintable(t *testing.T) {
	data := printed(Format0, Str("s", "a\x01b\tc é\xff"))
	var s string
	NewReader(bytes.NewReader(data), Format0, "t").Scan(Strict|Printable, RecvStr("s", &s))
	if s != "a?b?c é?" {
		t.Fatalf("got %q", s)
	}
}

func TestHashLimitAndDuplicates(t *testing.T) {
	var pairs []Pair
	for i := 0; i < hashLimit+1; i++ {
		pairs = append(pairs, Pair{fmt.Sprintf("k%d", i), "v"})
	}
	data := printed(Format0, Hash(pairs))
	h := map[string]string{}
	n, err := NewReader(bytes.NewReader(data), Format0, "t").Scan(None, RecvHash(h))
	if !errors.Is(err, ErrLimit) || n != hashLimit || len(h) != hashLimit {
		t.Fatalf("n=%d err=%v len=%d", n, err, len(h))
	}
	data = printed(Format0, Hash([]Pair{{"a", "1"}, {"a", "2"}}))
	h = map[string]string{}
	n, err = NewReader(bytes.NewReader(data), Format0, "t").Scan(Strict, RecvHash(h))
	if !errors.Is(err, ErrDuplicate) || n != 1 || h["a"] != "1" ||
		err.Error() != "duplicate attribute a in input from t" {
		t.Fatalf("strict dup: n=%d err=%v h=%v", n, err, h)
	}
}

func TestDecode64Leniency(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"", "", true}, {"YQ==", "a", true}, {"YWI=", "ab", true}, {"YWJj", "abc", true},
		{"YQ==YWJj", "a", true}, {"YQ=", "", false}, {"Y!==", "", false}, {"YR==", "a", true},
	}
	for _, c := range cases {
		got, ok := decode64(c.in)
		if ok != c.ok || string(got) != c.want {
			t.Errorf("%q: %q %v", c.in, got, ok)
		}
	}
}

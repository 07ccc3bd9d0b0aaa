package mkmap

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func readAll(t *testing.T, r io.Reader) (lines []string, reads int) {
	t.Helper()
	in := newLineReader(r, func() { reads++ })
	for i := 0; ; i++ {
		if i > 1_000_000 {
			t.Fatal("lineReader does not end")
		}
		line, ok := in.next()
		if !ok {
			return lines, reads
		}
		lines = append(lines, line)
	}
}

func TestLineReader(t *testing.T) {
	long := strings.Repeat("x", 200*1024)
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"empty", "", nil},
		{"one line", "a\n", []string{"a"}},
		{"no final newline", "a\nb", []string{"a", "b"}},
		{"empty lines", "\n\na\n\n", []string{"", "", "a", ""}},
		{"carriage return kept", "a\r\n", []string{"a\r"}},
		{"long line", "a\n" + long + "\nb\n", []string{"a", long, "b"}},
		{"long last line", long, []string{long}},
	} {
		for _, r := range []struct {
			kind string
			r    io.Reader
		}{
			{"whole", strings.NewReader(tc.in)},
			{"bytewise", iotest.OneByteReader(strings.NewReader(tc.in))},
			{"data with EOF", iotest.DataErrReader(strings.NewReader(tc.in))},
		} {
			got, _ := readAll(t, r.r)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("%s, %s: got %d lines %.60q, want %d %.60q", tc.name, r.kind, len(got), got, len(tc.want), tc.want)
			}
		}
	}
}

// beforeRead runs before every read of the underlying reader and never
// while complete lines are waiting in the buffer.
func TestLineReaderBeforeRead(t *testing.T) {
	var lines []string
	for i := 0; i < 10000; i++ {
		lines = append(lines, "key"+strings.Repeat("k", i%50))
	}
	src := strings.Join(lines, "\n") + "\n"
	cr := &countingReader{r: strings.NewReader(src)}
	in := newLineReader(cr, func() { cr.allowed++ })
	n := 0
	for {
		line, ok := in.next()
		if !ok {
			break
		}
		if line != lines[n] {
			t.Fatalf("line %d = %q, want %q", n, line, lines[n])
		}
		n++
	}
	if n != len(lines) || cr.reads == 0 || cr.reads != cr.allowed {
		t.Fatalf("%d lines, %d reads, %d beforeRead calls", n, cr.reads, cr.allowed)
	}
	if cr.early {
		t.Fatal("a read happened without beforeRead")
	}
}

type countingReader struct {
	r              io.Reader
	reads, allowed int
	early          bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	if c.reads > c.allowed {
		c.early = true
	}
	return c.r.Read(p)
}

func TestLineReaderErrors(t *testing.T) {
	boom := errors.New("boom")
	got, _ := readAll(t, io.MultiReader(strings.NewReader("a\nb"), iotest.ErrReader(boom)))
	if strings.Join(got, "|") != "a|b" {
		t.Errorf("lines before an error: %q", got)
	}
	// A reader that returns nothing forever ends the input.
	got, _ = readAll(t, zeroReader{})
	if got != nil {
		t.Errorf("lines from a reader without progress: %q", got)
	}
}

type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

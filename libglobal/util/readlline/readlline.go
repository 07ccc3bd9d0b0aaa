// Package readlline reads "logical lines" the way Postfix's readllines(3)
// does for main.cf, master.cf, postmap/postalias sources and pattern tables:
//
//   - empty lines, all-whitespace lines and lines whose first non-space
//     character is '#' are dropped, even between continuation lines;
//   - a line that starts with whitespace continues the previous logical
//     line; it is appended as is, leading whitespace included;
//   - a logical line that would start with whitespace is reported and
//     skipped;
//   - text after a NUL byte is reported and dropped, as C consumers of the
//     line would never see it.
package readlline

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"gopostfix/libglobal/util/msg"
)

// Line is one logical line with the numbers of its first and last physical
// lines (1-based; comment lines count).
type Line struct {
	Text  string
	First int
	Last  int
}

// Where returns "line N" or "line N-M", as Postfix names a logical line.
func (l Line) Where() string {
	if l.Last > l.First {
		return fmt.Sprintf("line %d-%d", l.First, l.Last)
	}
	return fmt.Sprintf("line %d", l.First)
}

// Reader yields logical lines.
type Reader struct {
	br     *bufio.Reader
	name   string
	log    *msg.Logger
	lineno int // physical lines consumed so far

	// NoNULWarning drops text after a NUL byte silently, as Postfix 3.7's
	// readllines does (the warning is from later versions).
	NoNULWarning bool
}

// New returns a Reader for r. name is the file name used in warnings; log
// may be nil.
func New(r io.Reader, name string, log *msg.Logger) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64*1024), name: name, log: log}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// physical reads one physical line without its newline. ok is false at EOF
// with nothing read.
func (r *Reader) physical() (line string, ok bool, err error) {
	s, err := r.br.ReadString('\n')
	if err != nil && err != io.EOF {
		return "", false, err
	}
	if len(s) == 0 {
		return "", false, nil
	}
	if strings.HasSuffix(s, "\n") {
		s = s[:len(s)-1]
	}
	r.lineno++
	return s, true, nil
}

func blankOrComment(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			return s[i] == '#'
		}
	}
	return true
}

// Next returns the next logical line, or io.EOF when there is none.
func (r *Reader) Next() (Line, error) {
	for {
		var b strings.Builder
		first, last := 0, 0
		for {
			s, ok, err := r.physical()
			if err != nil {
				return Line{}, fmt.Errorf("read %s: %w", r.name, err)
			}
			if !ok {
				break
			}
			if !blankOrComment(s) {
				if b.Len() == 0 {
					first = r.lineno
				}
				b.WriteString(s)
				last = r.lineno
			}
			if b.Len() > 0 {
				next, err := r.br.Peek(1)
				if err != nil || (next[0] != '#' && !isSpace(next[0])) {
					break
				}
			}
		}
		if b.Len() == 0 {
			return Line{}, io.EOF
		}
		text := b.String()
		if isSpace(text[0]) {
			more := ""
			if len(text) > 30 {
				more = "..."
			}
			r.log.Warnf("%s: logical line must not start with whitespace: \"%.30s%s\"", r.name, text, more)
			continue
		}
		l := Line{Text: text, First: first, Last: last}
		if i := strings.IndexByte(text, 0); i >= 0 {
			if !r.NoNULWarning {
				r.log.Warnf("%s, %s: text after null byte may be ignored", r.name, l.Where())
			}
			l.Text = text[:i]
		}
		return l, nil
	}
}

// All reads every logical line of r.
func All(r io.Reader, name string, log *msg.Logger) ([]Line, error) {
	rd := New(r, name, log)
	var out []Line
	for {
		l, err := rd.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, l)
	}
}

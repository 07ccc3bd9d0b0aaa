package main

import (
	"bufio"
	"io"
	"strings"
)

// cfReader walks a configuration file by physical lines for the editing
// modes, which copy everything they do not change byte for byte.
type cfReader struct {
	br     *bufio.Reader
	lineno int
}

func newCfReader(r io.Reader) *cfReader { return &cfReader{br: bufio.NewReader(r)} }

// isSpace is C's isspace in the C locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// content returns the text of line from its first non-space byte, or ""
// for a comment or blank line.
func content(line string) string {
	i := 0
	for i < len(line) && isSpace(line[i]) {
		i++
	}
	if i == len(line) || line[i] == '#' {
		return ""
	}
	return line[i:]
}

// next returns the next line that has content, with its newline, after
// copying comment and blank lines to dst. ok is false at the end.
func (r *cfReader) next(dst io.Writer) (line string, ok bool, err error) {
	for {
		line, err := r.br.ReadString('\n')
		if line == "" {
			if err == io.EOF {
				err = nil
			}
			return "", false, err
		}
		r.lineno++
		if content(line) != "" {
			return line, true, nil
		}
		io.WriteString(dst, line)
	}
}

// continuation reports whether the next line continues the current
// logical line (starts with white space) or is a comment; it is what
// postconf looks at to gather a whole master.cf entry.
func (r *cfReader) continuation() bool {
	b, err := r.br.Peek(1)
	return err == nil && (b[0] == '#' || isSpace(b[0]))
}

// gather appends the continuation lines of an entry to first, copying
// the comment lines among them to dst.
func (r *cfReader) gather(first string, dst io.Writer) (string, error) {
	var b strings.Builder
	b.WriteString(first)
	for r.continuation() {
		line, err := r.br.ReadString('\n')
		if line == "" {
			return b.String(), err
		}
		if content(line) != "" {
			b.WriteString(line)
		} else {
			io.WriteString(dst, line)
		}
	}
	return b.String(), nil
}

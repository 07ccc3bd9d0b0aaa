package main

import (
	"io"
	"strings"

	"gopostfix/libglobal/mastercf"
)

// printLine writes text the way postconf prints every "name = value"
// line: words separated by runs of blanks are joined with one space, and
// with -f a word that would reach column 80 starts a new line indented by
// four spaces. A trailing newline is always written.
func printLine(w io.Writer, fold bool, text string) {
	var b strings.Builder
	lineLen := 0
	for _, word := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\r' || r == '\n'
	}) {
		if lineLen > 0 {
			if !fold || lineLen+len(word) < mastercf.LineLimit {
				b.WriteByte(' ')
				lineLen++
			} else {
				b.WriteString("\n" + mastercf.IndentText)
				lineLen = len(mastercf.IndentText)
			}
		}
		b.WriteString(word)
		lineLen += len(word)
	}
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

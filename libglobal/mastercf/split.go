package mastercf

import (
	"strings"

	"gopostfix/libglobal/util/dict"
)

// Blanks separates master.cf fields (and words of postconf output).
const Blanks = " \t\r\n"

// SplitQ splits text into words separated by Blanks, where a "{" opens a
// group (nesting counted) inside which blanks do not separate. The braces
// stay part of the word, as with Postfix's argv_splitq(3) and mystrtokq(3):
// "foo{ bar } baz" gives "foo{ bar }" and "baz".
func SplitQ(text string) []string { return SplitQSep(text, Blanks) }

// SplitQSep is SplitQ with another set of separator bytes (Postfix uses
// ", \t\r\n" for lists of table names).
func SplitQSep(text, sep string) []string {
	var out []string
	i := 0
	for {
		for i < len(text) && strings.IndexByte(sep, text[i]) >= 0 {
			i++
		}
		if i >= len(text) {
			return out
		}
		start, level := i, 0
		for ; i < len(text); i++ {
			c := text[i]
			if c == '{' {
				level++
			} else if level > 0 && c == '}' {
				level--
			} else if level == 0 && strings.IndexByte(sep, c) >= 0 {
				break
			}
		}
		out = append(out, text[start:i])
	}
}

// ExtractBraces removes the braces around a "{text}" word and the white
// space just inside them, as Postfix's extpar(3) with EXTPAR_FLAG_STRIP.
// On a syntax error it still returns the best-effort text, plus the
// complaint Postfix prints ("missing '}' in ...", "syntax error after '}'
// in ...", "no '{' at start of text in ...").
func ExtractBraces(word string) (string, error) { return extract(word, true) }

// ExtractBracesRaw is ExtractBraces without the removal of white space.
func ExtractBracesRaw(word string) (string, error) { return extract(word, false) }

// extract is extpar(3) through dict.ExtPar, its complaint as a
// *SyntaxError.
func extract(word string, strip bool) (string, error) {
	inner, problem := dict.ExtPar(word, "{}", strip)
	if problem != "" {
		return inner, &SyntaxError{problem}
	}
	return inner, nil
}

// SyntaxError is a complaint about master.cf text, worded as Postfix words it.
type SyntaxError struct{ Text string }

func (e *SyntaxError) Error() string { return e.Text }

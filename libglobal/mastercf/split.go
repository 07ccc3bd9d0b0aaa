package mastercf

import "strings"

// Blanks separates master.cf fields (and words of postconf output).
const Blanks = " \t\r\n"

// isSpace is C's isspace in the C locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

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

// balanced returns the length of the "{...}" group at the start of s,
// closing brace included, or 0 when s does not start with "{" or the group
// is not closed (balpar(3)).
func balanced(s string) int {
	if s == "" || s[0] != '{' {
		return 0
	}
	level := 1
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '}':
			level--
			if level == 0 {
				return i + 1
			}
		case '{':
			level++
		}
	}
	return 0
}

func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// ExtractBraces removes the braces around a "{text}" word and the white
// space just inside them, as Postfix's extpar(3) with EXTPAR_FLAG_STRIP.
// On a syntax error it still returns the best-effort text, plus the
// complaint Postfix prints ("missing '}' in ...", "syntax error after '}'
// in ...", "no '{' at start of text in ...").
func ExtractBraces(word string) (string, error) {
	text, err := ExtractBracesRaw(word)
	return trimSpace(text), err
}

// ExtractBracesRaw is ExtractBraces without the removal of white space.
func ExtractBracesRaw(word string) (string, error) {
	if word == "" || word[0] != '{' {
		return word, &SyntaxError{"no '{' at start of text in \"" + word + "\""}
	}
	n := balanced(word)
	if n == 0 {
		return word[1:], &SyntaxError{"missing '}' in \"" + word + "\""}
	}
	inner := word[1 : n-1]
	if n < len(word) {
		return inner, &SyntaxError{"syntax error after '}' in \"" + word + "\""}
	}
	return inner, nil
}

// SyntaxError is a complaint about master.cf text, worded as Postfix words it.
type SyntaxError struct{ Text string }

func (e *SyntaxError) Error() string { return e.Text }

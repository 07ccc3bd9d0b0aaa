package regtable

import (
	"fmt"
	"strings"
)

// commaSpace separates the rules of an inline table (CHARS_COMMA_SP).
const commaSpace = ", \t\r\n"

// balanced returns the length of the "{...}" at the start of s, or 0 when
// the braces do not balance (balpar).
func balanced(s string) int {
	if s == "" || s[0] != '{' {
		return 0
	}
	level := 1
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '}':
			if level--; level == 0 {
				return i + 1
			}
		case '{':
			level++
		}
	}
	return 0
}

// unbrace returns the text inside the braces that enclose s, optionally
// without surrounding whitespace, or Postfix's error text (extpar).
func unbrace(s string, strip bool) (string, error) {
	if s == "" || s[0] != '{' {
		return "", fmt.Errorf("no '{' at start of text in \"%s\"", s)
	}
	n := balanced(s)
	if n == 0 {
		return "", fmt.Errorf("missing '}' in \"%s\"", s)
	}
	if n != len(s) {
		return "", fmt.Errorf("syntax error after '}' in \"%s\"", s)
	}
	inner := s[1 : n-1]
	if strip {
		inner = strings.TrimRightFunc(skipSpace(inner), func(r rune) bool { return r < 0x80 && isSpace(byte(r)) })
	}
	return inner, nil
}

// nextToken splits off the next token separated by commas or whitespace
// outside braces (mystrtokq); ok is false when only separators remain.
func nextToken(s string) (tok, rest string, ok bool) {
	s = strings.TrimLeft(s, commaSpace)
	if s == "" {
		return "", "", false
	}
	level := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '{':
			level++
		case level > 0 && c == '}':
			level--
		case level == 0 && strings.IndexByte(commaSpace, c) >= 0:
			return s[:i], s[i+1:], true
		}
	}
	return s, "", true
}

// inlineRules turns an inline table "{{rule}, {rule}}" into the text of a
// rule file, one rule per line (dict_inline_to_multiline).
func inlineRules(name string) (string, error) {
	body, err := unbrace(name, false)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for tok, rest, ok := nextToken(body); ok; tok, rest, ok = nextToken(rest) {
		r, err := unbrace(tok, true)
		if err != nil {
			return "", err
		}
		b.WriteString(r + "\n")
	}
	return b.String(), nil
}

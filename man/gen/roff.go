package main

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"gopostfix/libglobal/params"
)

// esc makes text safe for a roff text line: backslashes, option dashes and
// characters outside ASCII become escapes. Line-start dots and quotes are
// handled when lines are wrapped (wrap).
func esc(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\\':
			b.WriteString(`\e`)
		case r == '-' && optionDash(s, i):
			b.WriteString(`\-`)
		case r == '\t':
			b.WriteString("    ")
		case r >= utf8.RuneSelf:
			fmt.Fprintf(&b, `\[u%04X]`, r)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

// optionDash reports whether the '-' at s[i] starts an option, stands
// alone or is part of a run of dashes: there a minus sign, not a hyphen,
// is meant.
func optionDash(s string, i int) bool {
	if i+1 < len(s) && s[i+1] == '-' || i > 0 && s[i-1] == '-' {
		return true
	}
	if i > 0 && !strings.ContainsRune(" \t\n([{\"'`|,=", rune(s[i-1])) {
		return false
	}
	return i+1 == len(s) || isAlnum(s[i+1]) || strings.IndexByte("# \t\n]|", s[i+1]) >= 0
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isWordByte(c byte) bool { return isAlnum(c) || c == '_' }

// markup matches page references ("postconf(5)") and words that may be
// parameter names ("fast_flush_domains", "myhostname").
var markup = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_.+-]*\([1-8]\)|[a-z0-9]+(?:_[a-z0-9]+)*`)

// proseWords are parameter names that are also plain words of prose
// ("stress mode"); they are not set in bold.
var proseWords = map[string]bool{"biff": true, "stress": true}

// paramsIn returns the parameter names that occur as words in s.
func paramsIn(s string) []string {
	var names []string
	for _, m := range markup.FindAllStringIndex(s, -1) {
		if word, ok := paramAt(s, m); ok {
			names = append(names, word)
		}
	}
	return names
}

// paramAt reports whether the match m of markup in s is a whole word that
// names a parameter.
func paramAt(s string, m []int) (string, bool) {
	word := s[m[0]:m[1]]
	if m[0] > 0 && isWordByte(s[m[0]-1]) || m[1] < len(s) && isWordByte(s[m[1]]) {
		return "", false
	}
	_, ok := params.Lookup(word)
	return word, ok && !proseWords[word]
}

// inline renders prose: escaped, with page references and parameter
// names in bold.
func inline(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range markup.FindAllStringIndex(s, -1) {
		word := s[m[0]:m[1]]
		if _, ok := paramAt(s, m); !ok && !strings.HasSuffix(word, ")") {
			continue
		}
		b.WriteString(esc(s[last:m[0]]))
		b.WriteString(bold(word))
		last = m[1]
	}
	b.WriteString(esc(s[last:]))
	return b.String()
}

// bold sets a word or a page reference in bold; the section number of a
// reference stays in the roman font.
func bold(word string) string {
	if i := strings.LastIndexByte(word, '('); i > 0 && strings.HasSuffix(word, ")") {
		return `\fB` + esc(word[:i]) + `\fR` + word[i:]
	}
	return `\fB` + esc(word) + `\fR`
}

func italic(word string) string { return `\fI` + esc(word) + `\fR` }

// italicBreakable is italic with a break point allowed after each comma,
// question mark, colon, closing brace and slash, for long lists and
// expressions without spaces.
func italicBreakable(s string) string {
	var b strings.Builder
	for _, r := range italic(s) {
		b.WriteRune(r)
		if strings.ContainsRune(",?:}/", r) {
			b.WriteString(`\:`)
		}
	}
	return b.String()
}

// wrap fills escaped text into source lines of at most width bytes,
// breaking at spaces, and protects lines that would start with a control
// character.
func wrap(text string, width int) string {
	var b strings.Builder
	line := 0
	for _, w := range strings.Fields(text) {
		switch {
		case line == 0:
		case line+1+len(w) > width:
			b.WriteByte('\n')
			line = 0
		default:
			b.WriteByte(' ')
			line++
		}
		if line == 0 && (w[0] == '.' || w[0] == '\'') {
			b.WriteString(`\&`)
			line += 2
		}
		b.WriteString(w)
		line += len(w)
	}
	if line > 0 {
		b.WriteByte('\n')
	}
	return b.String()
}

// verbatim renders a code block line for no-fill mode.
func verbatim(line string) string {
	s := esc(line)
	if s != "" && (s[0] == '.' || s[0] == '\'') {
		s = `\&` + s
	}
	return s
}

// defaultText is how a page shows a parameter's built-in default.
func defaultText(p *params.Param) string {
	switch {
	case p.Computed:
		return "computed at run time"
	case p.Default == "":
		return "empty"
	}
	return p.Default
}

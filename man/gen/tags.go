package main

import (
	"strings"

	"gopostfix/libglobal/params"
)

// term renders a synopsis line or the term of a tagged paragraph:
// options, program names, parameter names and upper-case keywords in
// bold, other words (placeholders) in italics, and the punctuation of
// command-line grammar ("[", "]", "|", "{", "}", ",", "...") in roman.
//
// Spaces inside square brackets do not break a line ("[name ...]").
func term(s string, names map[string]bool) string {
	var b strings.Builder
	depth := 0
	for i, field := range strings.Fields(s) {
		switch {
		case i == 0:
		case depth > 0:
			b.WriteString(`\~`)
		default:
			b.WriteByte(' ')
		}
		for _, piece := range splitGrammar(field) {
			switch piece {
			case "[":
				depth++
			case "]":
				depth = max(depth-1, 0)
			}
			b.WriteString(termPiece(piece, names))
		}
	}
	return b.String()
}

// splitGrammar cuts a word into grammar punctuation and the words between.
func splitGrammar(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		n := grammarLen(s[i:])
		if n == 0 {
			i++
			continue
		}
		if start < i {
			out = append(out, s[start:i])
		}
		out = append(out, s[i:i+n])
		i += n
		start = i
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func grammarLen(s string) int {
	if strings.HasPrefix(s, "...") {
		return 3
	}
	if strings.ContainsRune("[]|{},", rune(s[0])) {
		return 1
	}
	return 0
}

func termPiece(p string, names map[string]bool) string {
	if grammarLen(p) == len(p) {
		return esc(p)
	}
	_, isParam := params.Lookup(p)
	if p[0] == '-' || names[p] || isParam || isKeyword(p) {
		return `\fB` + esc(p) + `\fR`
	}
	return italic(p)
}

// isKeyword reports whether p is a literal upper-case word such as ALL.
func isKeyword(p string) bool {
	if len(p) < 2 {
		return false
	}
	for i := 0; i < len(p); i++ {
		if !(p[i] >= 'A' && p[i] <= 'Z' || p[i] >= '0' && p[i] <= '9' || p[i] == '_') {
			return false
		}
	}
	return true
}

// getoptSynopsis builds a synopsis line from a getopt option string:
// the options without argument grouped, then each option that takes one.
func getoptSynopsis(prog, optstr string) string {
	optstr = strings.TrimLeft(optstr, "+:-")
	var flags []byte
	var withArg []string
	for i := 0; i < len(optstr); i++ {
		c := optstr[i]
		if i+1 < len(optstr) && optstr[i+1] == ':' {
			withArg = append(withArg, `[\fB\-`+string(c)+`\fR\~`+italic(argName(c))+`]`)
			i++
			continue
		}
		flags = append(flags, c)
	}
	s := `\fB` + esc(prog) + `\fR`
	if len(flags) > 0 {
		s += ` [\fB\-` + esc(string(flags)) + `\fR]`
	}
	for _, w := range withArg {
		s += " " + w
	}
	return s
}

// argName names the argument of an option in a synopsis made from an
// option string: -c is the configuration directory in every Postfix
// command.
func argName(c byte) string {
	if c == 'c' {
		return "config_dir"
	}
	return "value"
}

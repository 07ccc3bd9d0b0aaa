package dict

import (
	"strings"
	"unicode/utf8"
)

// isSpace is C's isspace in the "C" locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// TrimSpace trims C whitespace from both ends.
func TrimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// BalPar returns the length of the balanced "(...)" group at the start of
// s (parens holds the open and close characters), or 0 when s does not
// start with one or it is not closed (balpar).
func BalPar(s string, parens string) int {
	if s == "" || s[0] != parens[0] {
		return 0
	}
	level := 1
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case parens[1]:
			if level--; level == 0 {
				return i + 1
			}
		case parens[0]:
			level++
		}
	}
	return 0
}

// ExtPar strips the enclosing parentheses from s ("{ text }" -> "text",
// with surrounding whitespace trimmed when strip is set) and returns
// Postfix's extpar error text when s is not one balanced group. The
// returned text is usable even with an error, as in Postfix.
func ExtPar(s string, parens string, strip bool) (inner string, err string) {
	switch n := BalPar(s, parens); {
	case s == "" || s[0] != parens[0]:
		err = "no '" + parens[:1] + "' at start of text in \"" + s + "\""
		inner = s
	case n == 0:
		err = "missing '" + parens[1:] + "' in \"" + s + "\""
		inner = s[1:]
	default:
		if n != len(s) {
			err = "syntax error after '" + parens[1:] + "' in \"" + s + "\""
		}
		inner = s[1 : n-1]
	}
	if strip {
		inner = TrimSpace(inner)
	}
	return inner, err
}

// TokensQ splits s on runs of characters in seps, keeping text inside
// balanced parens together (mystrtokq).
func TokensQ(s, seps, parens string) []string {
	var out []string
	for {
		for s != "" && strings.IndexByte(seps, s[0]) >= 0 {
			s = s[1:]
		}
		if s == "" {
			return out
		}
		level, i := 0, 0
		for ; i < len(s); i++ {
			c := s[i]
			if c == parens[0] {
				level++
			} else if level > 0 && c == parens[1] {
				level--
			} else if level == 0 && strings.IndexByte(seps, c) >= 0 {
				break
			}
		}
		out = append(out, s[:i])
		s = s[i:]
	}
}

// CommaSpace are the separators of Postfix lists (CHARS_COMMA_SP).
const CommaSpace = ", \t\r\n"

// SplitQNameVal splits "key = value" where the key may contain quoted
// text (split_qnameval). The error strings are Postfix's.
func SplitQNameVal(s string) (key, value string, err string) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i == len(s) {
		return "", "", "no key found; expected format: key = value"
	}
	start, inQuotes := i, false
	for ; i < len(s); i++ {
		c := s[i]
		if c == '\\' {
			if i++; i == len(s) {
				break
			}
		} else if isSpace(c) || c == '=' {
			if !inQuotes {
				break
			}
		} else if c == '"' {
			inQuotes = !inQuotes
		}
	}
	if inQuotes {
		return "", "", "unbalanced '\"'"
	}
	key = s[start:min(i, len(s))]
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i >= len(s) || s[i] != '=' {
		return "", "", "missing '=' after attribute name"
	}
	return key, TrimSpace(s[i+1:]), ""
}

// SourceLine is one entry of a postmap-style source file.
type SourceLine struct {
	Key, Value string
	// Unbalanced is set when a double quote in the key is not closed;
	// Postfix skips such lines with a warning.
	Unbalanced bool
}

// SplitSourceLine splits a logical line of a postmap or texthash source
// into key and value: the key ends at the first whitespace outside
// double quotes (a backslash escapes the next character), the value is
// the rest with surrounding whitespace removed. The key keeps its quotes.
func SplitSourceLine(line string) SourceLine {
	inQuotes, i := false, 0
	for ; i < len(line); i++ {
		c := line[i]
		if c == '\\' {
			if i++; i >= len(line) {
				break
			}
		} else if isSpace(c) {
			if !inQuotes {
				break
			}
		} else if c == '"' {
			inQuotes = !inQuotes
		}
	}
	if inQuotes {
		return SourceLine{Unbalanced: true}
	}
	i = min(i, len(line))
	key := line[:i]
	rest := ""
	if i < len(line) {
		rest = line[i+1:]
	}
	// Postfix trims leading whitespace and then trailing blanks.
	for rest != "" && isSpace(rest[0]) {
		rest = rest[1:]
	}
	return SourceLine{Key: key, Value: TrimSpace(rest)}
}

// Printable replaces bytes that are neither printable ASCII nor part of
// valid UTF-8 with '?', as Postfix's logging does (printable()).
func Printable(s string) string {
	var b []byte
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			b = append(b, c)
			i++
			continue
		}
		if c >= 0x80 {
			if r, n := utf8.DecodeRuneInString(s[i:]); r != utf8.RuneError || n > 1 {
				b = append(b, s[i:i+n]...)
				i += n
				continue
			}
		}
		b = append(b, '?')
		i++
	}
	return string(b)
}

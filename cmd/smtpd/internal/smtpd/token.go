package smtpd

import "strings"

// token is one word of an SMTP command, as smtpd_token.c splits it.
type token struct {
	val string
	bad bool // a <...> or "..." without its closing character
}

// quoted collects a <...> or "..." token whose opening character open was
// just read; '"' nests inside <>, and <> nests inside <> (Postfix's
// precedence rules). It returns the rest of the input.
func quoted(s string, b *strings.Builder, open, closing byte) (string, bool) {
	stack := []byte{closing}
	b.WriteByte(open)
	for len(s) > 0 {
		c := s[0]
		s = s[1:]
		b.WriteByte(c)
		want := stack[len(stack)-1]
		switch {
		case c == '\\':
			if len(s) == 0 {
				return s, false
			}
			b.WriteByte(s[0])
			s = s[1:]
		case c == want:
			if len(stack) == 1 {
				return s, true
			}
			stack = stack[:len(stack)-1]
		case c == '"':
			stack = append(stack, '"')
		case c == '<' && want == '>':
			stack = append(stack, '>')
		}
	}
	return s, false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// nextToken returns the next token of s and the rest of s; ok is false
// when no token is left.
func nextToken(s string) (tok token, rest string, ok bool) {
	var b strings.Builder
	for len(s) > 0 {
		c := s[0]
		s = s[1:]
		switch {
		case isSpace(c):
			for len(s) > 0 && isSpace(s[0]) {
				s = s[1:]
			}
			if b.Len() > 0 {
				return token{val: b.String(), bad: tok.bad}, s, true
			}
		case c == '<':
			var good bool
			s, good = quoted(s, &b, '<', '>')
			tok.bad = tok.bad || !good
		case c == '"':
			var good bool
			s, good = quoted(s, &b, '"', '"')
			tok.bad = tok.bad || !good
		case c == ':':
			// "FROM:<addr>" is split after the colon.
			b.WriteByte(c)
			w := b.String()
			if hasPrefixFold("to:", w) || hasPrefixFold("from:", w) {
				return token{val: w, bad: tok.bad}, s, true
			}
		default:
			if c == '\\' {
				b.WriteByte(c)
				if len(s) == 0 {
					return token{val: b.String(), bad: tok.bad}, s, true
				}
				c = s[0]
				s = s[1:]
			}
			b.WriteByte(c)
		}
	}
	if b.Len() == 0 {
		return token{}, s, false
	}
	return token{val: b.String(), bad: tok.bad}, s, true
}

// hasPrefixFold reports whether w equals the first len(w) bytes of word,
// ignoring case (strncasecmp(w, word, len(w)) == 0).
func hasPrefixFold(word, w string) bool {
	if len(w) > len(word) {
		return false
	}
	return strings.EqualFold(word[:len(w)], w)
}

// tokenize splits a command line into tokens (smtpd_token).
func tokenize(line string) []token {
	var out []token
	for {
		t, rest, ok := nextToken(line)
		if !ok {
			return out
		}
		out = append(out, t)
		line = rest
	}
}

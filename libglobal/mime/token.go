package mime

import "strings"

// Token types besides a special character (HEADER_TOK_*).
const (
	TokToken   = 256 // an atom
	TokQString = 257 // a quoted string, without its quotes
)

// Token is one item of a structured header value.
type Token struct {
	Type  int // TokToken, TokQString, or the special character
	Value string
}

// rfc822Specials are header_token's default specials.
const rfc822Specials = "()<>@,;:\\\".[]"

func isLWSP(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isCntrl(c byte) bool { return c < 0x20 || c == 0x7f }

// HeaderToken parses items of a header value starting at s, skipping
// white space and (nested) comments, as Postfix's header_token: at most
// max tokens are kept; specials "" means the RFC 822 specials; parsing
// stops after terminator (0 for none), or once max tokens are found
// when there is no terminator. It returns the tokens, the rest of s,
// and false when s held nothing more before its end.
func HeaderToken(s string, max int, specials string, terminator byte) ([]Token, string, bool) {
	if specials == "" {
		specials = rfc822Specials
	}
	var toks []Token
	i := 0
	var ch byte
	for i < len(s) && (terminator != 0 || len(toks) < max) {
		ch = s[i]
		i++
		switch {
		case isLWSP(ch):
			continue
		case terminator != 0 && ch == terminator:
			return toks, s[i:], true
		case ch == '(':
			for level := 1; i < len(s); {
				c := s[i]
				i++
				if c == '(' {
					level++
				} else if c == ')' {
					if level--; level == 0 {
						break
					}
				} else if c == '\\' {
					if i >= len(s) {
						break
					}
					i++
				}
			}
		case ch == '"':
			var b strings.Builder
			for i < len(s) {
				c := s[i]
				i++
				if c == '"' {
					break
				}
				if c == '\n' {
					// Unfold: drop the white space before the line break.
					t := strings.TrimRight(b.String(), " \t\n\r")
					b.Reset()
					b.WriteString(t)
					continue
				}
				if c == '\\' {
					if i >= len(s) {
						break
					}
					c = s[i]
					i++
				}
				b.WriteByte(c)
			}
			if len(toks) < max {
				toks = append(toks, Token{TokQString, b.String()})
			}
		case strings.IndexByte(specials, ch) >= 0 || isCntrl(ch):
			if len(toks) < max {
				toks = append(toks, Token{int(ch), string(ch)})
			}
		default:
			start := i - 1
			for i < len(s) && !isLWSP(s[i]) && !isCntrl(s[i]) && strings.IndexByte(specials, s[i]) < 0 {
				i++
			}
			if len(toks) < max {
				toks = append(toks, Token{TokToken, s[start:i]})
			}
		}
	}
	if len(toks) == 0 && i >= len(s) {
		return nil, "", false
	}
	return toks, s[i:], true
}

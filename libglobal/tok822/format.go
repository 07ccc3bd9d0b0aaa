package tok822

import (
	"strings"

	"gopostfix/libglobal/util/msg"
)

// Flags control the conversion of token trees to strings.
type Flags int

const (
	// Line puts a newline instead of a space after each comma; callers
	// fold the pieces into header lines (TOK822_STR_LINE).
	Line Flags = 1 << iota
	// Truncate limits non-address text (comments, phrases) to 250 bytes
	// per address expression, replacing an over-long expression with just
	// <address>, against the Sendmail overflow of CERT CA-2003-07
	// (TOK822_STR_TRNC). Externalize only.
	Truncate
)

// maxNonAddr is the amount of non-address text Truncate allows.
const maxNonAddr = 250

// isWordish reports whether a token is text rather than an operator, for
// the purpose of separating tokens with a space.
func isWordish(t *Token) bool {
	switch t.Type {
	case Atom, QString, Comment, DomLit, Addr:
		return true
	}
	return false
}

// needSpace reports whether a space goes after t when converting to a
// string. Tokens inside an address are never separated.
func needSpace(t *Token) bool {
	if t == nil || t.Next == nil || t.Owner != nil {
		return false
	}
	if t.Type == ',' || t.Type == StartGroup || t.Next.Type == '<' {
		return true
	}
	return isWordish(t) && isWordish(t.Next)
}

// Internalize converts a token list to internal (unquoted) string form
// (tok822_internalize). Only Line is meaningful in flags.
func Internalize(tree *Token, flags Flags) string {
	var b strings.Builder
	internalize(&b, tree, flags)
	return b.String()
}

func internalize(b *strings.Builder, tree *Token, flags Flags) {
	for t := tree; t != nil; t = t.Next {
		switch t.Type {
		case ',':
			b.WriteByte(',')
			if flags&Line != 0 {
				b.WriteByte('\n')
				continue
			}
		case Addr:
			internalize(b, t.Head, 0)
		case Comment, Atom, QString:
			b.WriteString(t.Text)
		case DomLit:
			b.WriteByte('[')
			b.WriteString(t.Text)
			b.WriteByte(']')
		case StartGroup:
			b.WriteByte(':')
		default:
			writeOp(b, t)
		}
		if needSpace(t) {
			b.WriteByte(' ')
		}
	}
}

// writeOp writes an operator token. A token of an unknown multi-character
// type is a programming error, as in Postfix (msg_panic).
func writeOp(b *strings.Builder, t *Token) {
	if t.Type >= MinTok || t.Type < 0 {
		panic("tok822: unknown operator type in token list")
	}
	b.WriteByte(byte(t.Type))
}

// Externalize converts a token list to external (quoted) string form,
// quoting address local parts, quoted strings and domain literals as
// needed and inserting white space (tok822_externalize). With Truncate, a
// warning about stripped text goes to log (which may be nil).
func Externalize(tree *Token, flags Flags, log *msg.Logger) string {
	var b strings.Builder
	// For Truncate: where the current address expression starts in b, its
	// address (an Addr token, or the '<' of "<>") and that address's
	// length in the output.
	start, addrLen := 0, 0
	var addr *Token
	reset := func() { start, addr, addrLen = b.Len(), nil, 0 }
	enforce := func() {
		if addr != nil && b.Len()-addrLen > start+maxNonAddr {
			stripAddress(&b, start, addr.Head, log)
		}
	}
	for t := tree; t != nil; t = t.Next {
		switch t.Type {
		case ',':
			if flags&Truncate != 0 {
				enforce()
			}
			b.WriteByte(',')
			if flags&Line != 0 {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
			if flags&Truncate != 0 {
				reset()
			}
			continue
		case Addr:
			// Quoting atoms one by one is not enough; the local part as a
			// whole decides, as quote_822_local does.
			addr = t
			before := b.Len()
			b.WriteString(QuoteLocal(Internalize(t.Head, 0), Quote8BitClean))
			addrLen = b.Len() - before
		case Atom, Comment:
			b.WriteString(t.Text)
		case QString:
			b.WriteByte('"')
			copyQuoted(&b, t.Text, "\"\\\r\n")
			b.WriteByte('"')
		case DomLit:
			b.WriteByte('[')
			copyQuoted(&b, t.Text, "\\\r\n")
			b.WriteByte(']')
		case StartGroup:
			b.WriteByte(':')
		case '<':
			if t.Next != nil && t.Next.Type == '>' {
				addr, addrLen = t, 0
			}
			b.WriteByte('<')
		default:
			writeOp(&b, t)
		}
		if needSpace(t) {
			b.WriteByte(' ')
		}
	}
	if flags&Truncate != 0 {
		enforce()
	}
	return b.String()
}

// copyQuoted writes s with a backslash before each byte found in set.
func copyQuoted(b *strings.Builder, s, set string) {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
}

// stripAddress replaces everything written since start with just
// <address>, discarding comments and phrases.
func stripAddress(b *strings.Builder, start int, addr *Token, log *msg.Logger) {
	s := b.String()
	shown := printable(s[start:])
	if len(shown) > 100 {
		shown = shown[:100]
	}
	log.Warnf("stripping too many comments from address: %s...", shown)
	b.Reset()
	b.WriteString(s[:start])
	b.WriteByte('<')
	if addr != nil {
		b.WriteString(QuoteLocal(Internalize(addr, 0), Quote8BitClean))
	}
	b.WriteByte('>')
}

// printable replaces bytes that are not printable ASCII with '?', keeping
// well-formed UTF-8, as Postfix's printable() with UTF-8 enabled.
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == 0xFFFD:
			b.WriteByte('?')
		case r < 0x80 && (r < 0x20 || r == 0x7f):
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

package tok822

import "strings"

// specials are RFC 822's special characters; opChars adds the operators
// Postfix also recognizes: '%' and '!' for old routing forms and '|' for
// alias file commands.
const (
	specials = "()<>@,;:\\\".[]"
	opChars  = "|%!" + specials
)

func isSpaceTabCRLF(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isOpChar(c byte) bool { return strings.IndexByte(opChars, c) >= 0 }

// isCntrl is C's iscntrl for ASCII; 8-bit bytes are not control characters.
func isCntrl(c byte) bool { return c < 0x20 || c == 0x7f }

// cString returns s up to its first NUL byte.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// collect gathers text from s[i:] while keep accepts the next byte. A
// backslash escapes the byte after it (the backslash is dropped, the byte
// kept unconditionally); white space becomes a plain space. It returns the
// text and the index of the first byte not taken.
func collect(s string, i int, keep func(byte) bool) (string, int) {
	var b strings.Builder
	for i < len(s) {
		c := s[i]
		if c == '\\' {
			i++
			if i >= len(s) {
				break
			}
			c = s[i]
		} else if !keep(c) {
			break
		}
		if isSpaceTabCRLF(c) {
			c = ' '
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), i
}

// comment collects a comment whose '(' is at s[i-1]; the text keeps its
// external form, parentheses and backslashes included. Comments nest.
func comment(s string, i int) (string, int) {
	var b strings.Builder
	b.WriteByte('(')
	level := 1
	for i < len(s) {
		c := s[i]
		b.WriteByte(c)
		i++
		switch c {
		case '(':
			level++
		case ')':
			level--
		case '\\':
			if i < len(s) {
				b.WriteByte(s[i])
				i++
			}
		}
		if level == 0 {
			break
		}
	}
	return b.String(), i
}

// atomNeedsQuotes reports whether an atom's text holds characters that can
// only appear quoted; such an atom is turned into a quoted string. 8-bit
// text is left alone, as Postfix does.
func atomNeedsQuotes(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || isCntrl(c) || isOpChar(c) {
			return true
		}
	}
	return false
}

// Scan converts an external-form string to a flat token list and returns
// its first and last tokens (both nil for a string without tokens), as
// tok822_scan.
func Scan(s string) (head, tail *Token) { return ScanLimit(s, 0) }

// ScanLimit is Scan with an upper bound on the number of tokens produced
// (0 means no bound), as tok822_scan_limit.
func ScanLimit(s string, limit int) (head, tail *Token) {
	s = cString(s)
	count := 0
	for i := 0; i < len(s); {
		c := s[i]
		i++
		if isSpaceTabCRLF(c) {
			continue
		}
		var t *Token
		switch {
		case c == '(':
			t = New(Comment, "")
			t.Text, i = comment(s, i)
		case c == '[':
			t = New(DomLit, "")
			t.Text, i = collect(s, i, func(c byte) bool { return c != ']' })
			if i < len(s) {
				i++
			}
		case c == '"':
			t = New(QString, "")
			t.Text, i = collect(s, i, func(c byte) bool { return c != '"' })
			if i < len(s) {
				i++
			}
		case c != '\\' && isOpChar(c):
			t = New(int(c), "")
		default:
			t = New(Atom, "")
			t.Text, i = collect(s, i-1, func(c byte) bool { return !isSpaceTabCRLF(c) && !isOpChar(c) })
			if atomNeedsQuotes(t.Text) {
				t.Type = QString
			}
		}
		if head == nil {
			head, tail = t, t
		} else {
			tail = Append(tail, t)
		}
		count++
		if limit > 0 && count >= limit {
			break
		}
	}
	return head, tail
}

// ScanAddr converts an external-form string that should hold just one
// address into an Addr token whose members are the scanned tokens; no
// parsing is done (tok822_scan_addr). As in Postfix the members get no
// Owner, so string conversion separates words in them with spaces.
func ScanAddr(s string) *Token {
	a := New(Addr, "")
	a.Head, a.Tail = Scan(s)
	return a
}

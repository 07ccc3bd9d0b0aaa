package tok822

// Token types. Single-character operators use their own byte value as the
// type; multi-character tokens use the values below (those of Postfix's
// TOK822_* constants).
const (
	MinTok     = 256
	Atom       = 256 // a run of non-special characters
	QString    = 257 // text that was between "" (stored unquoted)
	Comment    = 258 // a comment, stored with its parentheses, may nest
	DomLit     = 259 // text that was between [] (stored without brackets)
	Addr       = 260 // a group of tokens forming one address
	StartGroup = 261 // the ':' that starts a named group
)

// Token is one node of a token list or parse tree. Operator tokens have an
// empty Text; Addr tokens hold their members in Head..Tail, and each member
// points back at it through Owner.
type Token struct {
	Type       int
	Text       string
	Prev, Next *Token
	Head, Tail *Token
	Owner      *Token
}

// New returns a detached token of the given type and text.
func New(typ int, text string) *Token {
	return &Token{Type: typ, Text: text}
}

// typeName is used by Dump.
func typeName(t int) string {
	switch t {
	case Atom:
		return "atom"
	case QString:
		return "quoted string"
	case Comment:
		return "comment"
	case DomLit:
		return "domain literal"
	case Addr:
		return "address"
	case StartGroup:
		return "group"
	}
	return "unknown"
}

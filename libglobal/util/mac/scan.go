package mac

// TokenKind says what Parse found: literal text or a reference.
type TokenKind = tokenKind

// Token kinds and status bits of Parse, as mac_parse(3) names them
// (MAC_PARSE_LITERAL, MAC_PARSE_EXPR, MAC_PARSE_ERROR, MAC_PARSE_UNDEF).
const (
	Literal     TokenKind = literalToken
	Expr        TokenKind = exprToken
	StatusError           = statusError
	StatusUndef           = statusUndef
)

// Parse is mac_parse(3) for callers with their own notion of a reference,
// such as the $number substitution of regexp and pcre tables: it splits
// value into literal text ("$$" already turned into "$") and references
// ("$name", "${name}", "$(name)" without the brackets) and calls action
// for each in order, merging the status bits action returns into the
// result. Syntax errors are reported through warn with Postfix's texts
// ("truncated macro reference", "empty macro name") and end the scan.
func Parse(value string, warn func(string), action func(kind TokenKind, text string) int) int {
	return parse(value, warn, action)
}

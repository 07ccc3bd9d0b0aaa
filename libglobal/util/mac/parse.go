// Package mac expands "$name" references in configuration text the way
// Postfix's mac_parse(3) and mac_expand(3) do (src/util/mac_parse.c,
// src/util/mac_expand.c, Postfix 3.7):
//
//	$name  ${name}  $(name)           the value of name ("" if undefined)
//	${name?text}  ${name?{text}}      text if name is non-empty
//	${name:text}  ${name:{text}}      text if name is empty or undefined
//	${name?{t1}:{t2}}                 ternary
//	${{L} OP {R}?{t1}:{t2}}           relational, OP one of == != < <= >= >,
//	                                  optionally with a registered suffix
//	                                  such as "level" (<level, ==level, ...)
//	$$                                a literal $
//
// Diagnostics have Postfix's exact words, including its quirks (the doubled
// quotes in the operator list, the nesting limit of 100 callbacks, warnings
// repeated when parsing continues after an error). They are passed to
// Options.Warn as they happen and collected in the returned *Error.
//
// Deliberate differences: text stops at a NUL byte, as C strings do; a
// relational operand restarts Postfix's nesting counter, so a value that
// refers to itself through an operand would recurse until the C program
// crashes; here an overall depth limit turns that into the ordinary
// "unreasonable macro call nesting" error. Printable replaces bytes outside
// printable ASCII (Postfix also keeps valid UTF-8 when SMTPUTF8 is on).
package mac

import "strings"

// Status bits, as mac_parse(3) returns them.
const (
	statusError = 1 << 0
	statusUndef = 1 << 1
)

type tokenKind int

const (
	literalToken tokenKind = iota + 1
	exprToken
)

// isAlnum is Postfix's ISALNUM: ASCII letters and digits only.
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// cString cuts s at its first NUL byte, which is where Postfix's C code
// would see the end of the text.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// parse splits value into literal text and macro expressions and calls
// action for each, in order, like mac_parse. Text inside ${...} or $(...)
// is passed without the brackets. action's status bits are merged into the
// result; parsing continues after an action reports an error, but not
// after a syntax error of the reference itself.
func parse(value string, warn func(string), action func(tokenKind, string) int) int {
	value = cString(value)
	var buf strings.Builder
	status := 0
	emit := func(kind tokenKind) {
		status |= action(kind, buf.String())
		buf.Reset()
	}
	vp := 0
	for vp < len(value) {
		c := value[vp]
		if c != '$' {
			buf.WriteByte(c)
			vp++
			continue
		}
		if vp+1 < len(value) && value[vp+1] == '$' {
			buf.WriteByte('$')
			vp += 2
			continue
		}
		if buf.Len() > 0 {
			emit(literalToken)
		}
		vp++
		if vp < len(value) && (value[vp] == '(' || value[vp] == '{') {
			open := value[vp]
			close := byte(')')
			if open == '{' {
				close = '}'
			}
			vp++
			level, ep := 1, vp
			for level > 0 {
				if ep >= len(value) {
					warn("truncated macro reference: \"" + value + "\"")
					status |= statusError
					break
				}
				if value[ep] == open {
					level++
				}
				if value[ep] == close {
					level--
				}
				ep++
			}
			if status&statusError != 0 {
				break
			}
			buf.WriteString(value[vp : ep-1])
			vp = ep
		} else {
			ep := vp
			for ep < len(value) && (isAlnum(value[ep]) || value[ep] == '_') {
				ep++
			}
			buf.WriteString(value[vp:ep])
			vp = ep
		}
		if buf.Len() == 0 {
			status |= statusError
			warn("empty macro name: \"" + value + "\"")
			break
		}
		emit(exprToken)
	}
	if buf.Len() > 0 && status&statusError == 0 {
		emit(literalToken)
	}
	return status
}

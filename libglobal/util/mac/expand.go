package mac

import (
	"fmt"
	"strings"
)

// Lookup returns the value of a name; ok is false when it is undefined.
type Lookup func(name string) (value string, ok bool)

// Options select how Expand works, like mac_expand's flags.
type Options struct {
	// Recurse expands $name references found in looked-up values
	// (MAC_EXP_FLAG_RECURSE, used for main.cf parameters).
	Recurse bool
	// Scan visits every reference, both branches of ?: included, and
	// produces no text (MAC_EXP_FLAG_SCAN, used by postconf to find the
	// names a value uses).
	Scan bool
	// Printable replaces unprintable bytes of substituted values by '_'
	// (non-recursive expansion only).
	Printable bool
	// Filter, when not empty, is the set of bytes allowed in substituted
	// values; others become '_' (non-recursive expansion only).
	Filter string
	// Relops are operator suffixes: Relops["level"] evaluates <level,
	// ==level and the other four operators with that suffix.
	Relops map[string]Relop
	// Warn receives each warning as Postfix would log it (no "warning: "
	// prefix). It may be nil.
	Warn func(text string)
}

// ProcessingError is the text Postfix's programs use when expansion fails
// ("fatal: macro processing error" in postconf).
const ProcessingError = "macro processing error"

// Error is a failed expansion. Warnings holds every warning in order; the
// first one says what went wrong.
type Error struct {
	Warnings []string
}

func (e *Error) Error() string {
	if len(e.Warnings) == 0 {
		return ProcessingError
	}
	return ProcessingError + ": " + e.Warnings[0]
}

// maxLevel is Postfix's limit on nested callbacks; maxDepth is our own
// bound across relational operands (see the package comment).
const (
	maxLevel = 100
	maxDepth = 1000
)

// expansion is the state of one mac_expand call.
type expansion struct {
	out      *strings.Builder
	opts     *Options
	lookup   Lookup
	status   int
	level    int
	depth    *int // shared with operand expansions
	warnings *[]string
}

func (e *expansion) warn(text string) {
	*e.warnings = append(*e.warnings, text)
	if e.opts.Warn != nil {
		e.opts.Warn(text)
	}
}

// fail reports a syntax error and returns the status.
func (e *expansion) fail(format string, args ...any) int {
	e.warn(fmt.Sprintf(format, args...))
	e.status |= statusError
	return e.status
}

// Expand returns text with its macro references expanded.
func Expand(text string, lookup Lookup, opts Options) (string, error) {
	out, _, err := Evaluate(text, lookup, opts)
	return out, err
}

// Evaluate is Expand that also says whether a plain reference ($name,
// ${name}) named an undefined parameter (MAC_PARSE_UNDEF).
func Evaluate(text string, lookup Lookup, opts Options) (out string, undefined bool, err error) {
	var b strings.Builder
	var warnings []string
	depth := 0
	status := run(&b, text, lookup, &opts, &depth, &warnings)
	if status&statusError != 0 {
		return b.String(), status&statusUndef != 0, &Error{Warnings: warnings}
	}
	return b.String(), status&statusUndef != 0, nil
}

// Refs returns every name that text refers to, in order and once per
// reference, in both branches of every conditional, the way postconf
// scans values for names. A syntax error is returned as *Error.
func Refs(text string, opts Options) ([]string, error) {
	var names []string
	opts.Scan = true
	opts.Recurse = false
	_, _, err := Evaluate(text, func(name string) (string, bool) {
		names = append(names, name)
		return "", false
	}, opts)
	return names, err
}

// run is one mac_expand call: a fresh nesting level, the shared depth.
func run(out *strings.Builder, text string, lookup Lookup, opts *Options, depth *int, warnings *[]string) int {
	e := &expansion{out: out, opts: opts, lookup: lookup, depth: depth, warnings: warnings}
	return parse(text, e.warn, e.callback)
}

const whitespace = " \t\r\n"

// head is C's "%.20s": at most the first 20 bytes of s.
func head(s string) string {
	if len(s) > 20 {
		return s[:20]
	}
	return s
}

// skipSpace returns the number of leading whitespace bytes of s.
func skipSpace(s string) int {
	n := 0
	for n < len(s) && strings.IndexByte(whitespace, s[n]) >= 0 {
		n++
	}
	return n
}

// leftCurly reports whether s continues (after whitespace) with '{' and
// returns s from that brace.
func leftCurly(s string) (string, bool) {
	n := skipSpace(s)
	if n < len(s) && s[n] == '{' {
		return s[n:], true
	}
	return s, false
}

// curlyPayload takes s starting at '{' and returns the text inside the
// balanced braces and the rest after the closing brace and whitespace.
func (e *expansion) curlyPayload(s string) (payload, rest string, ok bool) {
	level := 1
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '{':
			level++
		case '}':
			if level--; level <= 0 {
				rest = s[i+1:]
				return s[1:i], rest[skipSpace(rest):], true
			}
		}
	}
	e.fail("unbalanced {} in attribute expression: \"%s\"", s)
	return "", "", false
}

// callback handles one token, as mac_expand_callback does. Like Postfix it
// leaves the nesting level raised when it returns early with an error.
func (e *expansion) callback(kind tokenKind, text string) int {
	*e.depth++
	defer func() { *e.depth-- }()
	if e.level > maxLevel || *e.depth > maxDepth {
		e.warn("unreasonable macro call nesting: \"" + text + "\"")
		e.status |= statusError
	}
	e.level++
	if e.status&statusError != 0 {
		return e.status
	}
	if kind == literalToken {
		if !e.opts.Scan {
			e.out.WriteString(text)
		}
		e.level--
		return e.status
	}
	if e.expression(text) {
		e.level--
	}
	return e.status
}

// expression evaluates the inside of one macro reference. It returns
// false after an error.
func (e *expansion) expression(buf string) bool {
	var value string
	var defined bool
	var op byte
	cp := buf
	if s, ok := leftCurly(cp); ok {
		rest, result, ok := e.relational(s)
		if !ok {
			return false
		}
		value, defined, cp = result, !e.opts.Scan, rest
		if cp != "" {
			op = cp[0]
			if op != '?' && op != ':' {
				e.fail("\"?\" or \":\" expected at: \"...}>>>%s\"", head(cp))
				return false
			}
			cp = cp[1:]
		}
	} else {
		name, rest, c, ok := e.splitName(buf)
		if !ok {
			return false
		}
		op, cp = c, rest
		value, defined = e.lookup(name)
	}
	nonEmpty := defined && value != ""
	switch op {
	case 0:
		e.substitute(value, defined)
		return true
	case '?':
		ifTrue, rest, ok := e.operand(cp)
		if !ok {
			return false
		}
		cp = rest
		if nonEmpty || e.opts.Scan {
			e.status |= parse(ifTrue, e.warn, e.callback)
		}
		if cp == "" {
			return true
		}
		if cp[0] != ':' {
			e.fail("\":\" expected at: \"...%s}>>>%s\"", ifTrue, head(cp))
			return false
		}
		cp = cp[1:]
	}
	// ':' on its own, or the second half of ?:
	ifFalse, cp, ok := e.operand(cp)
	if !ok {
		return false
	}
	if !nonEmpty || e.opts.Scan {
		e.status |= parse(ifFalse, e.warn, e.callback)
	}
	if cp != "" {
		e.fail("unexpected input at: \"...%s}>>>%s\"", ifFalse, head(cp))
		return false
	}
	return true
}

// operand takes the text after '?' or ':': a {} payload followed by more
// input, or else everything up to the end, taken as is.
func (e *expansion) operand(cp string) (text, rest string, ok bool) {
	if s, found := leftCurly(cp); found {
		return e.curlyPayload(s)
	}
	return cp, "", true
}

// splitName finds the parameter name of ${name}, ${name?...} or
// ${name:...}: white space around the name is allowed, then only the end,
// '?' or ':'. It returns the name, the text after the operator and the
// operator (0 for a plain reference).
func (e *expansion) splitName(buf string) (name, rest string, op byte, ok bool) {
	start := skipSpace(buf)
	for cp := start; ; cp++ {
		n := skipSpace(buf[cp:])
		if cp+n >= len(buf) {
			return buf[start:cp], "", 0, true
		}
		if c := buf[cp+n]; c == '?' || c == ':' {
			return buf[start:cp], buf[cp+n+1:], c, true
		}
		if c := buf[cp]; !isAlnum(c) && c != '_' {
			e.fail("attribute name syntax error at: \"...%s>>>%s\"", buf[:cp], head(buf[cp:]))
			return "", "", 0, false
		}
	}
}

// substitute handles a plain reference whose value was looked up.
func (e *expansion) substitute(value string, defined bool) {
	switch {
	case !defined:
		e.status |= statusUndef
	case value == "" || e.opts.Scan:
	case e.opts.Recurse:
		e.status |= parse(value, e.warn, e.callback)
	default:
		e.out.WriteString(sanitize(cString(value), e.opts))
	}
}

// sanitize applies Printable or Filter to a substituted value.
func sanitize(value string, opts *Options) string {
	if !opts.Printable && opts.Filter == "" {
		return value
	}
	b := []byte(value)
	for i, c := range b {
		if opts.Printable {
			if c < 0x20 || c >= 0x7f {
				b[i] = '_'
			}
		} else if strings.IndexByte(opts.Filter, c) < 0 {
			b[i] = '_'
		}
	}
	return string(b)
}

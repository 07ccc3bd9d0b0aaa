package regtable

import (
	"math"
	"strings"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/mac"
)

// Rule operations: the block kinds of dict.Blocks, which pairs IF rules
// with their ENDIF.
const (
	opMatch = dict.BlockNone  // a pattern and a result
	opIf    = dict.BlockIf    // enter the block when the pattern matches
	opEndif = dict.BlockEndif // end of the innermost block
)

type rule struct {
	op     dict.BlockKind
	line   int
	first  Matcher
	second Matcher // regexp's "/p1/!/p2/", or nil
	// firstMatch and secondMatch are false for negated patterns.
	firstMatch, secondMatch bool
	// result is the replacement text, with "$$" already turned into "$"
	// when maxSub is 0.
	result string
	maxSub uint64 // largest $number in result
}

func (r *rule) free() {
	for _, m := range []Matcher{r.first, r.second} {
		if m != nil {
			m.Free()
		}
	}
}

// pattern is one pattern with its options, before compilation.
type pattern struct {
	text  string
	flags int
	match bool
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func skipSpace(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	return s
}

// char renders one byte the way C's "%c" does.
func char(c byte) string { return string([]byte{c}) }

// getPattern takes one (optionally negated) delimited pattern and its
// option letters from the start of s.
func (p *parser) getPattern(s string) (pat pattern, rest string, ok bool) {
	pat.match = true
	i := 0
	for ; i < len(s); i++ {
		if s[i] == '!' {
			pat.match = !pat.match
		} else if !isSpace(s[i]) {
			break
		}
	}
	if i == len(s) {
		p.warnf("no regexp: skipping this rule")
		return pat, "", false
	}
	delim := s[i]
	i++
	start, closed := i, false
	for ; i < len(s); i++ {
		if s[i] == '\\' {
			if i+1 == len(s) {
				closed = p.eng.BackslashAtEnd
				break
			}
			i++
		} else if s[i] == delim {
			closed = true
			break
		}
	}
	if !closed {
		p.warnf("no closing regexp delimiter \"%s\": %s this rule", char(delim), p.eng.NoCloseVerb)
		return pat, "", false
	}
	pat.text = s[start:i]
	i++
	pat.flags = p.eng.DefaultFlags
	for ; i < len(s) && !isSpace(s[i]) && !(p.eng.SecondPattern && s[i] == '!'); i++ {
		f, res := p.eng.Option(s[i], pat.flags)
		switch res {
		case OptionOK:
			pat.flags = f
		case OptionObsolete:
			p.warnf("ignoring obsolete regexp option \"%s\"", char(s[i]))
		default:
			p.warnf("unknown regexp option \"%s\": skipping this rule", char(s[i]))
			return pat, "", false
		}
	}
	return pat, s[i:], true
}

// cAtoi converts a string of digits as the C expression "size_t n =
// atoi(s)" does on Linux: strtol saturates, the int truncates, the size_t
// sign-extends.
func cAtoi(s string) uint64 {
	var v int64
	for i := 0; i < len(s); i++ {
		d := int64(s[i] - '0')
		if v > (math.MaxInt64-d)/10 {
			v = math.MaxInt64
			break
		}
		v = v*10 + d
	}
	return uint64(int64(int32(v)))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// prescan checks the $number references in a result and finds the
// largest. literal is the result with "$$" resolved when it has no
// reference.
func (p *parser) prescan(text string) (maxSub uint64, literal string, ok bool) {
	haveLiteral := false
	status := mac.Parse(text, func(w string) { p.log.Warnf("%s", w) }, func(kind mac.TokenKind, s string) int {
		if kind == mac.Expr {
			haveLiteral = false
			if !allDigits(s) {
				p.warnf("non-numeric replacement index \"%s\"", s)
				return mac.StatusError
			}
			n := cAtoi(s)
			if n < 1 {
				p.warnf("%s replacement index \"%s\"", p.eng.ZeroIndex, s)
				return mac.StatusError
			}
			maxSub = max(maxSub, n)
		} else if maxSub == 0 {
			literal, haveLiteral = s, true
		}
		return 0
	})
	if status&mac.StatusError != 0 {
		p.warnf("bad replacement syntax: skipping this rule")
		return 0, "", false
	}
	if !haveLiteral {
		literal = text
	}
	return maxSub, literal, true
}

// parseMatch parses "/pattern/flags result" and its variants.
func (p *parser) parseMatch(text string) (*rule, bool) {
	first, rest, ok := p.getPattern(text)
	if !ok {
		return nil, false
	}
	var second pattern
	hasSecond := p.eng.SecondPattern && strings.HasPrefix(rest, "!")
	if hasSecond {
		if second, rest, ok = p.getPattern(rest); !ok {
			return nil, false
		}
	}
	result := skipSpace(rest)
	if result == "" {
		p.warnf("no replacement text: using empty string")
	}
	if p.flags&dict.FlagSrcRHSIsFile != 0 {
		b64, err := dict.FileToBase64(result)
		if err != nil {
			p.warnf("%s: skipping this rule", err)
			return nil, false
		}
		result = b64
	}
	maxSub, literal, ok := p.prescan(result)
	if !ok {
		return nil, false
	}
	if maxSub > 0 && !first.match {
		p.warnf("$number found in negative match replacement text: skipping this rule")
		return nil, false
	}
	if maxSub > 0 && p.flags&dict.FlagNoRegsub != 0 {
		p.warnf("regular expression substitution is not allowed: skipping this rule")
		return nil, false
	}
	r := &rule{op: opMatch, line: p.line, firstMatch: first.match, maxSub: maxSub, result: result}
	if maxSub == 0 {
		r.result = literal
	}
	if r.first = p.compile(first, maxSub > 0); r.first == nil {
		return nil, false
	}
	if maxSub > uint64(r.first.Groups()) {
		p.warnf("out of range replacement index \"%d\": skipping this rule", int32(maxSub))
		r.free()
		return nil, false
	}
	if hasSecond {
		r.secondMatch = second.match
		if r.second = p.compile(second, false); r.second == nil {
			r.free()
			return nil, false
		}
	}
	return r, true
}

func (p *parser) compile(pat pattern, subs bool) Matcher {
	m, err := p.eng.Compile(pat.text, pat.flags, subs)
	if err != nil {
		p.warnf("%s", err)
		return nil
	}
	return m
}

// parseRule parses one logical line; ok is false when the line is
// skipped (with a warning).
func (p *parser) parseRule(text string, nesting int) (*rule, bool) {
	switch {
	case !isAlnum(text[0]):
		return p.parseMatch(text)
	case len(text) >= 2 && strings.EqualFold(text[:2], "if") && (len(text) == 2 || !isAlnum(text[2])):
		pat, rest, ok := p.getPattern(skipSpace(text[2:]))
		if !ok {
			return nil, false
		}
		if rest = skipSpace(rest); rest != "" {
			p.warnf("ignoring extra text after IF statement: \"%s\"", rest)
			p.warnf("do not prepend whitespace to statements between IF and ENDIF")
		}
		m := p.compile(pat, false)
		if m == nil {
			return nil, false
		}
		return &rule{op: opIf, line: p.line, first: m, firstMatch: pat.match}, true
	case len(text) >= 5 && strings.EqualFold(text[:5], "endif") && (len(text) == 5 || !isAlnum(text[5])):
		if nesting == 0 {
			p.warnf("ignoring ENDIF without matching IF")
			return nil, false
		}
		if skipSpace(text[5:]) != "" {
			p.warnf("ignoring extra text after ENDIF")
		}
		return &rule{op: opEndif, line: p.line}, true
	}
	p.warnf("ignoring unrecognized request")
	return nil, false
}

package regtable

import (
	"io"
	"strings"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/mac"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/readlline"
)

// Table is a parsed rule file. It is not safe for concurrent use (the
// patterns hold their last match).
type Table struct {
	eng    *Engine
	name   string
	log    *msg.Logger
	rules  []*rule
	blocks dict.Blocks
	buf    strings.Builder
}

type parser struct {
	eng   *Engine
	name  string
	line  int
	log   *msg.Logger
	flags dict.Flags
}

func (p *parser) warnf(format string, args ...any) {
	p.log.Warnf("%s map %s, line %d: "+format, append([]any{p.eng.Type, p.name, p.line}, args...)...)
}

// Parse reads the rules of table name from src. Rules with errors are
// skipped with a warning on log, as Postfix does; the error result is for
// failures to read src. flags may carry dict.FlagNoRegsub (no $number
// substitution) and dict.FlagSrcRHSIsFile (results name files whose
// contents are stored in base64, postmap -F).
func Parse(eng *Engine, name string, src io.Reader, flags dict.Flags, log *msg.Logger) (*Table, error) {
	t := &Table{eng: eng, name: name, log: log}
	p := &parser{eng: eng, name: name, log: log, flags: flags}
	rd := readlline.New(src, name, log)
	rd.NoNULWarning = true // Postfix 3.7 drops text after a NUL silently
	for {
		l, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Close()
			return nil, err
		}
		text := strings.TrimRightFunc(l.Text, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) })
		if text == "" {
			continue
		}
		p.line = l.First
		r, ok := p.parseRule(text, t.blocks.Depth())
		if !ok {
			continue
		}
		t.blocks.Add(r.op)
		t.rules = append(t.rules, r)
	}
	for _, i := range t.blocks.Unclosed() {
		p.line = t.rules[i].line
		p.warnf("IF has no matching ENDIF")
	}
	return t, nil
}

// matches runs one pattern for rule r; a matching error is a warning and
// counts as "no", whatever the negation.
func (t *Table) matches(m Matcher, want bool, key string, r *rule) bool {
	ok, err := m.Match(key)
	if err != nil {
		t.log.Warnf("%s map %s, line %d: %s", t.eng.Type, t.name, r.line, err)
		return false
	}
	return ok == want
}

// Lookup returns the result of the first rule that matches key, with its
// $number references replaced. The key is used up to its first NUL byte,
// as by Postfix's C code.
func (t *Table) Lookup(key string) (string, bool) {
	if i := strings.IndexByte(key, 0); i >= 0 {
		key = key[:i]
	}
	for i := 0; i < len(t.rules); i++ {
		r := t.rules[i]
		switch r.op {
		case opMatch:
			if !t.matches(r.first, r.firstMatch, key, r) {
				continue
			}
			if r.second != nil && !t.matches(r.second, r.secondMatch, key, r) {
				continue
			}
			if r.maxSub == 0 {
				return r.result, true
			}
			return t.expand(r, key), true
		case opIf:
			if t.matches(r.first, r.firstMatch, key, r) {
				continue
			}
			end, ok := t.blocks.Skip(i)
			if !ok {
				return "", false
			}
			i = end
		}
	}
	return "", false
}

// expand substitutes the subexpressions of r's last match into its result.
func (t *Table) expand(r *rule, key string) string {
	t.buf.Reset()
	mac.Parse(r.result, func(string) {}, func(kind mac.TokenKind, s string) int {
		if kind == mac.Literal {
			t.buf.WriteString(s)
			return 0
		}
		start, end, ok := r.first.Group(int(cAtoi(s)))
		if !ok || start == end {
			return mac.StatusUndef
		}
		t.buf.WriteString(key[start:end])
		return 0
	})
	return t.buf.String()
}

// Close releases the compiled patterns.
func (t *Table) Close() {
	for _, r := range t.rules {
		r.free()
	}
	t.rules = nil
}

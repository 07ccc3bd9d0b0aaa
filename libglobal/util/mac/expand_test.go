package mac

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// testVars is the name space of the table tests.
var testVars = map[string]string{
	"foo":     "FOO",
	"empty":   "",
	"ref":     "<$foo>",
	"loop1":   "$loop2",
	"loop2":   "$loop1",
	"ternary": "${foo?{yes}:{no}}",
	"level":   "3.6",
	"dollar":  "a$$b",
	"bad":     "${foo",
}

func mapLookup(name string) (string, bool) {
	v, ok := testVars[name]
	return v, ok
}

// levelRelop compares dotted numbers, enough to test suffix dispatch.
func levelRelop(l string, op Op, r string) (bool, error) {
	if l == "x" {
		return false, errors.New(`malformed compatibility level syntax: "x"`)
	}
	return op.Compare(strings.Compare(l, r)), nil
}

var recurse = Options{Recurse: true, Relops: map[string]Relop{"level": levelRelop}}

func TestExpandForms(t *testing.T) {
	tests := []struct {
		in, want string
		undef    bool
	}{
		{"plain text", "plain text", false},
		{"$foo", "FOO", false},
		{"${foo}", "FOO", false},
		{"$(foo)", "FOO", false},
		{"${ foo }", "FOO", false},
		{"$foo.bar", "FOO.bar", false},
		{"$foo-bar", "FOO-bar", false},
		{"$$foo", "$foo", false},
		{"$dollar", "a$b", false}, // $$ in a looked-up value becomes a literal $
		{"x$nonexist.y", "x.y", true},
		{"${nonexist}", "", true},
		{"$ref", "<FOO>", false},
		{"[${foo?x}]", "[x]", false},
		{"[${foo? x }]", "[ x ]", false},
		{"[${empty?x}]", "[]", false},
		{"[${nonexist?x}]", "[]", false},
		{"[${foo:x}]", "[]", false},
		{"[${empty:x}]", "[x]", false},
		{"[${nonexist:x}]", "[x]", false},
		{"[${foo?{ a b }}]", "[ a b ]", false},
		{"[${foo ? {a} : {b}}]", "[a]", false},
		{"[${empty?{a}:{b}}]", "[b]", false},
		{"[${empty?{a}:b}]", "[b]", false},
		{"[${foo?a:b}]", "[a:b]", false},
		{"[${foo??x:{b}y}]", "[?x:{b}y]", false},
		{"[$ternary]", "[yes]", false},
		{"[${foo?$foo}]", "[FOO]", false},
		{"[${{a}=={a}}]", "[true]", false},
		{"[${{a}=={b}}]", "[]", false},
		{"[${{1}<{2}}]", "[true]", false},
		{"[${{10}>{9}}]", "[true]", false},
		{"[${{10}>{9a}}]", "[]", false},
		{"[${{a} != {b} ? {ne} : {eq}}]", "[ne]", false},
		{"[${{ a}=={a}?{same}:{differ}}]", "[differ]", false},
		{"[${{$foo}=={FOO}?{ok}}]", "[ok]", false},
		{"[${{$foo}=={BAR}:{no}}]", "[no]", false},
		{"[${{$level} <level {3.6} ? {old} : {new}}]", "[new]", false},
		{"[${{$level} >=level {3.6} ? {new} : {old}}]", "[new]", false},
	}
	for _, tt := range tests {
		got, undef, err := Evaluate(tt.in, mapLookup, recurse)
		if err != nil || got != tt.want || undef != tt.undef {
			t.Errorf("Evaluate(%q) = %q, %v, %v; want %q, %v, nil", tt.in, got, undef, err, tt.want, tt.undef)
		}
	}
}

func TestExpandOnce(t *testing.T) {
	got, err := Expand("[$ref] [$dollar]", mapLookup, Options{})
	if want := "[<$foo>] [a$$b]"; err != nil || got != want {
		t.Errorf("non-recursive = %q, %v; want %q", got, err, want)
	}
	got, err = Expand("[$ref]", mapLookup, Options{Filter: "<>fo"})
	if want := "[<_foo>]"; err != nil || got != want {
		t.Errorf("filtered = %q, %v; want %q", got, err, want)
	}
}

func TestExpandErrors(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"${foo", []string{`truncated macro reference: "${foo"`}},
		{"$(foo}", []string{`truncated macro reference: "$(foo}"`}},
		{"$ x", []string{`empty macro name: "$ x"`}},
		{"a$", []string{`empty macro name: "a$"`}},
		{"${}", []string{`empty macro name: "${}"`}},
		{"${foo{x}}", []string{`attribute name syntax error at: "...foo>>>{x}"`}},
		{"${foo bar}", []string{`attribute name syntax error at: "...foo>>> bar"`}},
		{"${{a} ~~ {b}?{x}}", []string{`"==" or "!="" or "<"" or "<="" or ">="" or ">" expected at: "...a}>>>~~ {b}?{x}"`}},
		{"${{a} {b}?{x}}", []string{`"==" or "!="" or "<"" or "<="" or ">="" or ">" expected at: "...a}>>>{b}?{x}"`}},
		{"${{a}==b?{x}}", []string{`bad operator suffix at: "...==>>>b"`}},
		{"${{a}== ?{x}}", []string{`"{expression}" expected at: "...{a} ==>>> ?{x}"`}},
		{"${{a}=={b} x}", []string{`"?" or ":" expected at: "...}>>>x"`}},
		{"${{a}=={b}?{x}y}", []string{`":" expected at: "...x}>>>y"`}},
		{"${{a}=={b}?{x}:{y}z}", []string{`unexpected input at: "...y}>>>z"`}},
		{"${nonexist:{x}:{y}}", []string{`unexpected input at: "...x}>>>:{y}"`}},
		{"${foo?{x}", []string{`truncated macro reference: "${foo?{x}"`}},
		{"${foo?{x}:{y}", []string{`truncated macro reference: "${foo?{x}:{y}"`}},
		{"${{x} <level {1}?{a}}", []string{`malformed compatibility level syntax: "x"`}},
		{"${{a}==bogus{b}}", []string{`bad operator suffix at: "...==>>>bogus"`}},
		{"${{a}=={b}?{x}:{y}zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz}", []string{`unexpected input at: "...y}>>>zzzzzzzzzzzzzzzzzzzz"`}},
		{"$loop2", []string{`unreasonable macro call nesting: "loop1"`}},
		// The levels unwind normally above the failing one, so what follows
		// is skipped without another warning.
		{"$loop2 $foo tail", []string{`unreasonable macro call nesting: "loop1"`}},
		{"${bad syntax} ${foo}", []string{`attribute name syntax error at: "...bad>>> syntax"`}},
		{"$bad", []string{`truncated macro reference: "${foo"`}},
	}
	for _, tt := range tests {
		var live []string
		opts := recurse
		opts.Warn = func(s string) { live = append(live, s) }
		_, err := Expand(tt.in, mapLookup, opts)
		var me *Error
		if !errors.As(err, &me) {
			t.Errorf("Expand(%q) error = %v, want *Error", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(me.Warnings, tt.want) || !reflect.DeepEqual(live, tt.want) {
			t.Errorf("Expand(%q) warnings = %q (live %q), want %q", tt.in, me.Warnings, live, tt.want)
		}
	}
}

// TestUnbalancedPayload covers the one diagnostic mac_parse's own bracket
// matching cannot reach from main.cf: an unbalanced {} payload.
func TestUnbalancedPayload(t *testing.T) {
	e := &expansion{opts: &Options{}, warnings: new([]string)}
	if _, _, ok := e.curlyPayload("{a{b}"); ok {
		t.Fatal("curlyPayload accepted unbalanced text")
	}
	want := []string{`unbalanced {} in attribute expression: "{a{b}"`}
	if !reflect.DeepEqual(*e.warnings, want) {
		t.Errorf("warnings = %q, want %q", *e.warnings, want)
	}
}

func TestNoSuffixTable(t *testing.T) {
	// Without registered suffixes the suffix is not taken apart, so the
	// missing right operand is reported instead (as in Postfix programs
	// that register none).
	_, err := Expand("${{a}==b?{x}}", mapLookup, Options{})
	want := `macro processing error: "{expression}" expected at: "...{a} ==>>>b?{x}"`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestRefs(t *testing.T) {
	got, err := Refs("$a ${b?$c} ${d:{$e}} ${{$f}=={g}?{$h}:{$i}} $a $$j", Options{})
	want := []string{"a", "b", "c", "d", "e", "f", "h", "i", "a"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Refs = %q, %v; want %q", got, err, want)
	}
	if _, err := Refs("${x", Options{}); err == nil {
		t.Error("Refs accepted a truncated reference")
	}
}

func TestDepthGuard(t *testing.T) {
	// A value that refers to itself through a relational operand restarts
	// Postfix's nesting count; the overall depth limit must still stop it.
	self := func(name string) (string, bool) { return "${{$self}=={x}}", true }
	_, err := Expand("$self", self, Options{Recurse: true})
	var me *Error
	if !errors.As(err, &me) || !strings.HasPrefix(me.Warnings[0], "unreasonable macro call nesting") {
		t.Errorf("self reference: %v", err)
	}
}

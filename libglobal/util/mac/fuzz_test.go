package mac

import (
	"strings"
	"testing"
)

// FuzzExpand feeds arbitrary text to the parser and evaluator in every
// mode: nothing may panic or loop, a failure must come with a warning, and
// scanning must accept exactly what expanding accepts when no value is
// looked up into the result.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{
		"", "$", "$$", "${", "$(", "${}", "$(x}", "a $foo b", "${foo?{a}:{b}}",
		"${{a}=={b}?{x}:{y}}", "${{$compatibility_level} <level {2} ? {subnet} : {host}}",
		"${foo bar}", "${{a}==b?{x}}", "${x:{y}:{z}}", "$loop2 $foo", "${{a} {b}}",
		"${name?{x}y}", "$(a$(b))", "${a${b}}", "\x00$x", "${foo?\xff}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		vars := map[string]string{"foo": "F", "loop1": "$loop2", "loop2": "$loop1", "empty": "", "self": "${{$self}=={}}"}
		lookup := func(n string) (string, bool) { v, ok := vars[n]; return v, ok }
		for _, opts := range []Options{{}, {Recurse: true}, {Scan: true}, {Recurse: true, Relops: map[string]Relop{"level": compareDefault}}} {
			_, _, err := Evaluate(text, lookup, opts)
			if me, ok := err.(*Error); ok && len(me.Warnings) == 0 {
				t.Fatalf("%q: error without warnings", text)
			}
		}
		_, scanErr := Refs(text, Options{})
		_, onceErr := Expand(text, func(string) (string, bool) { return "", false }, Options{})
		// Scanning parses both branches, so it may find more errors, never fewer.
		if onceErr != nil && scanErr == nil && !strings.Contains(onceErr.Error(), "mac_exp_eval") {
			t.Fatalf("%q: expansion failed (%v) but scanning passed", text, onceErr)
		}
	})
}

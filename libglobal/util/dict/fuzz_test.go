package dict

import (
	"strings"
	"testing"
)

// FuzzSplitSourceLine checks the postmap/texthash source line parser on
// arbitrary input: it must not fail, the value must come back trimmed,
// and key plus value must come from the line.
func FuzzSplitSourceLine(f *testing.F) {
	for _, s := range []string{
		"example.com OK", "\"with space\"@example.com  OK quoted", "multi first part    second part",
		"a\\ b value", "\"open key value", "novalue", "key\\", "k \t v \t", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		sl := SplitSourceLine(line)
		if sl.Unbalanced {
			return
		}
		if !strings.HasPrefix(line, sl.Key) {
			t.Fatalf("key %q is not a prefix of %q", sl.Key, line)
		}
		if sl.Value != TrimSpace(sl.Value) {
			t.Fatalf("value %q not trimmed", sl.Value)
		}
		if !strings.Contains(line, sl.Value) {
			t.Fatalf("value %q not in %q", sl.Value, line)
		}
		// The helpers used for inline and pipemap specs must cope too.
		for _, tok := range TokensQ(line, CommaSpace, "{}") {
			ExtPar(tok, "{}", true)
			SplitQNameVal(tok)
		}
	})
}

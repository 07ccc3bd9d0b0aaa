package tok822

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to every entry point: none may panic, the
// token limit must hold, and quoting must be undone by unquoting.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("testdata/oracle.golden"); err == nil {
		for _, c := range strings.Split(string(data), "=== ")[1:] {
			if in, err := hex.DecodeString(c[:strings.IndexByte(c, '\n')]); err == nil {
				f.Add(string(in))
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		tree := Parse(s)
		Internalize(tree, Line)
		Externalize(tree, Line|Truncate, nil)
		a := ScanAddr(s)
		Externalize(a.Head, 0, nil)
		if head, _ := ScanLimit(s, 4); len(Grep(head, 0)) > 4 {
			t.Fatalf("ScanLimit(4) gave more than 4 tokens for %q", s)
		}
		in := cString(s)
		domain := in
		if i := strings.LastIndexByte(in, '@'); i >= 0 {
			domain = in[i:]
		}
		if !strings.ContainsAny(domain, "\"\\") && !strings.HasPrefix(in, "@") {
			if got := UnquoteLocal(QuoteLocal(in, QuoteDefault)); got != in {
				t.Fatalf("UnquoteLocal(QuoteLocal(%q)) = %q", in, got)
			}
		}
	})
}

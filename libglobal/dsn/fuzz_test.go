package dsn

import (
	"strings"
	"testing"
)

// FuzzSplit feeds arbitrary reply texts (they come from remote servers
// and transport tables) to Valid and Split.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"5.1.1 unknown user", "4.4.1", "  2.0.0   ok", "5.1234.1 x", "", "5.", "4.4.1\tx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		n := Valid(text)
		if n < 0 || n > len(text) {
			t.Fatalf("Valid(%q) = %d", text, n)
		}
		status, rest := Split("4.0.0", text)
		if Valid(status) != len(status) {
			t.Fatalf("Split(%q) status %q is not a code", text, status)
		}
		if !strings.HasSuffix(text, rest) {
			t.Fatalf("Split(%q) rest %q is not a suffix", text, rest)
		}
	})
}

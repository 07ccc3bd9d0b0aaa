package regtable_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopostfix/compat/pcre"
	"gopostfix/compat/regexp"
	"gopostfix/compat/regtable"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// FuzzParse feeds arbitrary rule files and keys to both engines, with and
// without substitution allowed: parsing and lookups may warn but must
// never panic or fail to read the input.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"edge", "golden/regexp", "golden/pcre"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), "abc")
	}
	f.Add("if /a/\nif !/b/\n/(.)(.)/ $2$1\nendif\n", "ac")
	f.Add("/x/ ${1\n/(y)/ $(1)$$\n", "y")
	f.Fuzz(func(t *testing.T, src, key string) {
		for _, eng := range []*regtable.Engine{regexp.Engine(), pcre.Engine()} {
			for _, flags := range []dict.Flags{0, dict.FlagNoRegsub} {
				tab, err := regtable.Parse(eng, "fuzz", strings.NewReader(src), flags, msg.Discard())
				if err != nil {
					t.Fatal(err)
				}
				tab.Lookup(key)
				tab.Close()
			}
		}
	})
}

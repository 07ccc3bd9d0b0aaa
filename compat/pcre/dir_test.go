package pcre

import (
	"bytes"
	"os"
	"testing"

	"gopostfix/compat/internal/realpostfix"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// TestDirectoryIsEmptyTable: a pcre table whose file is a directory opens
// without a word, as an empty table (its read error is taken as the end
// of the rules and never looked at), for a command as for a daemon whose
// registry allows stand-ins; the real postmap -q finds nothing in it and
// says nothing either.
func TestDirectoryIsEmptyTable(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	dir := t.TempDir()
	spec := "pcre:" + dir
	for _, key := range []string{"foo", "1.2.3.4", ""} {
		want := realpostfix.Postmap(t, dir, cfg, "", "-q", key, spec)
		for _, allow := range []bool{false, true} {
			var stderr bytes.Buffer
			r := dict.NewRegistry(msg.New(msg.NewWriterSink("postmap", &stderr)))
			r.AllowSurrogate = allow
			Register(r)
			got := realpostfix.Result{Status: 1}
			d, err := r.Open(spec, os.O_RDONLY, dict.FlagDefault)
			if err != nil {
				stderr.WriteString("postmap: fatal: " + err.Error() + "\n")
			} else {
				if v, ok, err := d.Lookup(key); ok || err != nil {
					t.Errorf("lookup %q: %q %v %v", key, v, ok, err)
				}
				d.Close()
			}
			got.Stderr = stderr.String()
			if got != want {
				t.Errorf("postmap -q %q %s (surrogates %v)\n got %+v\nwant %+v", key, spec, allow, got, want)
			}
		}
	}
}

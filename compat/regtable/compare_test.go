package regtable_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopostfix/compat/internal/realpostfix"
	"gopostfix/compat/pcre"
	"gopostfix/compat/regexp"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

func registry(stderr *bytes.Buffer) *dict.Registry {
	r := dict.NewRegistry(msg.New(msg.NewWriterSink("postmap", stderr)))
	regexp.Register(r)
	pcre.Register(r)
	return r
}

// postmapQ does what "postmap -q KEY TYPE:NAME" does with one pattern
// table: open, look up, print the value, exit 0 on a hit and 1 otherwise.
func postmapQ(spec, key string) realpostfix.Result {
	var stdout, stderr bytes.Buffer
	d, err := registry(&stderr).Open(spec, os.O_RDONLY, dict.FlagDefault)
	if err != nil {
		stderr.WriteString("postmap: fatal: " + err.Error() + "\n")
		return realpostfix.Result{Stderr: stderr.String(), Status: 1}
	}
	defer d.Close()
	v, ok, err := d.Lookup(key)
	switch {
	case err != nil:
		stderr.WriteString("postmap: fatal: " + err.Error() + "\n")
		return realpostfix.Result{Stdout: stdout.String(), Stderr: stderr.String(), Status: 1}
	case !ok:
		return realpostfix.Result{Stderr: stderr.String(), Status: 1}
	case v == "":
		// postmap's own complaint about an empty result.
		stderr.WriteString("postmap: warning: table " + spec + ": key " + key + ": empty string result is not allowed\n")
		stderr.WriteString("postmap: warning: table " + spec + " should return NO RESULT in case of NOT FOUND\n")
	}
	stdout.WriteString(v + "\n")
	return realpostfix.Result{Stdout: stdout.String(), Stderr: stderr.String()}
}

// TestGolden replays the golden "postmap -q" cases recorded with the real
// Postfix 3.7.11 on the reference regexp and pcre tables.
func TestGolden(t *testing.T) {
	t.Chdir("testdata/golden")
	cmds, err := os.ReadFile("COMMANDS.tsv")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(cmds)), "\n") {
		name, cmd, _ := strings.Cut(line, "\t")
		f := strings.Fields(cmd)
		if len(f) < 4 || f[0] != "postmap" || f[1] != "-q" {
			continue
		}
		spec, key := f[len(f)-1], strings.Join(f[2:len(f)-1], " ")
		got := postmapQ(spec, key)
		want := golden(t, name)
		if got != want {
			t.Errorf("%s: postmap -q %q %s\n got %+v\nwant %+v", name, key, spec, got, want)
		}
		n++
	}
	if n < 28 {
		t.Fatalf("only %d golden query cases found", n)
	}
}

func golden(t *testing.T, name string) realpostfix.Result {
	read := func(ext string) string {
		b, err := os.ReadFile(name + "." + ext)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	rc, err := strconv.Atoi(strings.TrimSpace(read("rc")))
	if err != nil {
		t.Fatal(err)
	}
	return realpostfix.Result{Stdout: read("stdout"), Stderr: read("stderr"), Status: rc}
}

// TestEdgeCasesAgainstRealPostmap runs every key of testdata/keys through
// the real postmap and through ours, on the same edge-case rule file read
// as a regexp and as a pcre table: flags, bad patterns, unknown options,
// if/endif nesting, $number forms and their validation, continuation
// lines. Output, warnings and exit status must be identical.
func TestEdgeCasesAgainstRealPostmap(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	keys, err := os.ReadFile(filepath.Join("testdata", "keys"))
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"regexp", "pcre"} {
		spec := typ + ":testdata/edge"
		for _, key := range strings.Split(strings.TrimSuffix(string(keys), "\n"), "\n") {
			want := realpostfix.Postmap(t, ".", cfg, "", "-q", key, spec)
			if got := postmapQ(spec, key); got != want {
				t.Errorf("postmap -q %q %s\n got %+v\nwant %+v", key, spec, got, want)
			}
		}
	}
}

// TestInlineAgainstRealPostmap compares inline rule sets ("{{rule}, ...}").
func TestInlineAgainstRealPostmap(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	for _, tc := range []struct{ spec, key string }{
		{"regexp:{{/^a(.)$/ A=$1}, {/b/ B}}", "ax"},
		{"regexp:{{/^a(.)$/ A=$1}, {/b/ B}}", "b"},
		{"pcre:{ {/^a/ A} , , {if /x/}, {/y/ XY}, {endif} }", "xy"},
		{"pcre:{{/a/ A}}x", "a"},
		{"regexp:{{/a/ A}x}", "a"},
		{"regexp:{{/a/ A}, /b/ B}", "a"},
		{"pcre:{{/a/ A}", "a"},
		{"pcre:{}", "a"},
	} {
		want := realpostfix.Postmap(t, ".", cfg, "", "-q", tc.key, tc.spec)
		if got := postmapQ(tc.spec, tc.key); got != want {
			t.Errorf("postmap -q %q %s\n got %+v\nwant %+v", tc.key, tc.spec, got, want)
		}
	}
}

// A NUL byte ends a rule line without a warning, as in Postfix 3.7.
func TestNULInRuleFile(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nul"), []byte("/a/ A\x00junk\n/b/ B\n"), 0644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, spec := range []string{"regexp:nul", "pcre:nul"} {
		for _, key := range []string{"a", "b", "junk"} {
			want := realpostfix.Postmap(t, dir, cfg, "", "-q", key, spec)
			if got := postmapQ(spec, key); got != want {
				t.Errorf("postmap -q %q %s\n got %+v\nwant %+v", key, spec, got, want)
			}
		}
	}
}

func TestOpenErrors(t *testing.T) {
	var stderr bytes.Buffer
	r := registry(&stderr)
	if _, err := r.Open("regexp:testdata/nosuch", os.O_RDONLY, 0); err == nil || err.Error() != "open testdata/nosuch: No such file or directory" {
		t.Errorf("missing file: %v", err)
	}
	if _, err := r.Open("pcre:testdata/edge", os.O_RDWR, 0); err == nil || err.Error() != "pcre:testdata/edge map requires O_RDONLY access mode" {
		t.Errorf("read-write open: %v", err)
	}
	d, err := r.Open("regexp:testdata/edge", os.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, _, _, err := d.Sequence(dict.SeqFirst); err == nil || err.Error() != "table regexp:testdata/edge: sequence operation is not supported" {
		t.Errorf("Sequence: %v", err)
	}
}

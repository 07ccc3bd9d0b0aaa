// Package realpostfix runs the installed Postfix 3.7 programs from Go
// tests in compat/, as the reference that tables written here must satisfy
// and as the writer of tables read here. A missing program fails the test:
// these comparisons are never skipped.
package realpostfix

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// dirs are where Debian installs the Postfix commands and the libdb and
// LMDB utilities (db5.3_dump, mdb_dump).
var dirs = []string{"/usr/sbin", "/usr/bin"}

// Result is what one run of a real program produced.
type Result struct {
	Stdout, Stderr string
	Status         int
}

// ConfigDir returns a fresh directory holding an empty main.cf, for the
// programs' -c option (the stock defaults apply). The file is dated an
// hour back: Postfix waits while main.cf is only seconds old.
func ConfigDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "main.cf")
	if err := os.WriteFile(path, nil, 0644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Run runs the installed program prog (e.g. "postmap", "db5.3_dump")
// with args in directory dir, feeding stdin, and returns its output and
// exit status.
func Run(t testing.TB, dir, stdin, prog string, args ...string) Result {
	t.Helper()
	path := ""
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, prog)); err == nil {
			path = filepath.Join(d, prog)
			break
		}
	}
	if path == "" {
		t.Fatalf("the installed %s is required for this test (looked in %v)", prog, dirs)
	}
	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewBufferString(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
	case err != nil:
		t.Fatalf("run %s: %v", path, err)
	}
	return Result{Stdout: out.String(), Stderr: errb.String(), Status: cmd.ProcessState.ExitCode()}
}

// Postmap runs the real postmap with -c cfg and the given arguments.
func Postmap(t testing.TB, dir, cfg, stdin string, args ...string) Result {
	t.Helper()
	return Run(t, dir, stdin, "postmap", append([]string{"-c", cfg}, args...)...)
}

// Build writes src to dir/name and runs the real "postmap TYPE:name" on it,
// failing the test unless postmap succeeds silently.
func Build(t testing.TB, dir, cfg, typ, name, src string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0644); err != nil {
		t.Fatal(err)
	}
	if r := Postmap(t, dir, cfg, "", typ+":"+name); r.Status != 0 || r.Stderr != "" {
		t.Fatalf("real postmap %s:%s = %+v", typ, name, r)
	}
}

// Listing walks a table with seq (first call with true, then false until
// ok is false) and formats the records as "postmap -s" prints them:
// KEY<TAB>VALUE lines, each cut at its first NUL byte.
func Listing(t testing.TB, seq func(first bool) (key, val []byte, ok bool, err error)) string {
	t.Helper()
	var b strings.Builder
	for first := true; ; first = false {
		k, v, ok, err := seq(first)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return b.String()
		}
		b.WriteString(cutNUL(k) + "\t" + cutNUL(v) + "\n")
	}
}

func cutNUL(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

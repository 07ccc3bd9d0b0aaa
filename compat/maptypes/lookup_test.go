package maptypes_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"gopostfix/libglobal/util/dict"
)

// TestOneCallLookup checks the one-call lookup of hash, btree and lmdb
// tables: both key forms (-N: with a trailing NUL, -n: without), the
// NUL-mode flag the first hit leaves behind, and the per-access shared
// lock, which must wait for a writer's exclusive lock in the table's
// style (flock for hash and btree, fcntl for lmdb).
func TestOneCallLookup(t *testing.T) {
	for _, typ := range fileTypes {
		for _, nul := range []dict.Flags{dict.FlagTry1Null, dict.FlagTry0Null} {
			var stderr bytes.Buffer
			r := registry(&stderr)
			name := filepath.Join(t.TempDir(), "tbl")
			build(t, r, typ, name, create, dict.FlagDupWarn|dict.FlagFoldFix|nul, records)
			d, err := r.Open(typ+":"+name, os.O_RDONLY, dict.FlagLock|dict.FlagFoldFix)
			if err != nil {
				t.Fatal(err)
			}
			v, ok, err := d.Lookup("EXAMPLE.com")
			if v != "OK" || !ok || err != nil {
				t.Errorf("%s %s: lookup %q %v %v", typ, nul, v, ok, err)
			}
			if got := d.Flags() & (dict.FlagTry0Null | dict.FlagTry1Null); got != nul {
				t.Errorf("%s %s: NUL flags %s after the first hit", typ, nul, got)
			}
			if _, ok, err := d.Lookup("nosuch"); ok || err != nil {
				t.Errorf("%s %s: missing key: %v %v", typ, nul, ok, err)
			}
			lockWait(t, typ, name, d)
			d.Close()
		}
	}
}

// lockWait holds an exclusive lock on the table file and checks that a
// lookup waits for its release.
func lockWait(t *testing.T, typ, name string, d dict.Dict) {
	file := name + ".db"
	if typ == "lmdb" {
		file = name + ".lmdb"
	}
	f, err := os.OpenFile(file, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	style := dict.StyleFlock
	if typ == "lmdb" {
		style = dict.StyleFcntl
	}
	if typ == "lmdb" {
		// fcntl locks belong to the process: take it from a child.
		holdInChild(t, file, func() { checkWaits(t, typ, d) })
		return
	}
	if err := dict.LockFileStyle(int(f.Fd()), style, dict.LockExclusive); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		time.Sleep(300 * time.Millisecond)
		dict.LockFileStyle(int(f.Fd()), style, dict.LockNone)
		close(done)
	}()
	checkWaits(t, typ, d)
	<-done
}

func checkWaits(t *testing.T, typ string, d dict.Dict) {
	start := time.Now()
	v, ok, err := d.Lookup("example.com")
	if v != "OK" || !ok || err != nil {
		t.Errorf("%s: lookup under lock: %q %v %v", typ, v, ok, err)
	}
	if time.Since(start) < 200*time.Millisecond {
		t.Errorf("%s: the lookup did not wait for the exclusive lock", typ)
	}
}

// holdInChild has a child process take an fcntl write lock on file (as
// Python's fcntl.lockf does) and hold it for 300 ms, and calls fn while
// the child holds it.
func holdInChild(t *testing.T, file string, fn func()) {
	script := "import fcntl, sys, time\n" +
		"f = open(sys.argv[1], 'r+')\n" +
		"fcntl.lockf(f, fcntl.LOCK_EX)\n" +
		"print('locked', flush=True)\n" +
		"time.sleep(0.3)\n"
	cmd := exec.Command("python3", "-c", script, file)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("python3: %v", err)
	}
	buf := make([]byte, 7)
	if _, err := io.ReadFull(out, buf); err != nil || string(buf) != "locked\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child took no lock: %q %v", buf, err)
	}
	fn()
	cmd.Wait()
}

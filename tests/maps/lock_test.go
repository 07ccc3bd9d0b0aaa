package maps

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// TestBuildLocksExclude checks that a postmap build, real or ours, keeps
// the other implementation out of the table until it is complete: for
// hash and btree a reader (flock LOCK_SH against the builder's LOCK_EX),
// for lmdb and cdb, whose readers do not wait for builders, a second
// build of the same file (fcntl lock on the .lmdb file, flock on the
// .cdb.tmp file). The builder reads its source from a FIFO that the test
// holds open, so the lock is held for as long as the test wants.
func TestBuildLocksExclude(t *testing.T) {
	instance.RequireRealPostfix(t)
	ours := progs.Path(t, "postmap")
	impls := map[string]string{"real": realPostmap, "ours": ours}
	for _, typ := range []string{"hash", "btree", "lmdb", "cdb"} {
		for _, holder := range []string{"real", "ours"} {
			contender := "ours"
			if holder == "ours" {
				contender = "real"
			}
			t.Run(typ+"/"+holder+"-builds", func(t *testing.T) {
				lockExclusion(t, typ, impls[holder], impls[contender])
			})
		}
	}
}

// tableSuffix is the file a build of typ writes (and the contender's
// symlink points to).
var tableSuffix = map[string]string{"lmdb": ".lmdb", "cdb": ".cdb.tmp"}

func lockExclusion(t *testing.T, typ, holderProg, contenderProg string) {
	cf := configDir(t, "")
	a, b := t.TempDir(), t.TempDir()
	tbl := filepath.Join(a, "tbl")
	// A complete table with the old value first, so that a reader that
	// did not wait would see "old".
	os.WriteFile(tbl, []byte("a old\n"), 0o644)
	if r := run(t, 20*time.Second, "", realPostmap, "-c", cf, typ+":"+tbl); r.status != 0 {
		t.Fatalf("initial build: %v", r)
	}
	os.Remove(tbl)
	if err := syscall.Mkfifo(tbl, 0o644); err != nil {
		t.Fatal(err)
	}
	// O_RDWR does not block and keeps the builder from seeing EOF.
	fifo, err := os.OpenFile(tbl, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fifo.Close()
	var contender *proc
	if sfx, ok := tableSuffix[typ]; ok {
		os.WriteFile(filepath.Join(b, "tbl"), []byte("b other\n"), 0o644)
		if err := os.Symlink(tbl+sfx, filepath.Join(b, "tbl"+sfx)); err != nil {
			t.Fatal(err)
		}
	}
	holder := start(t, "", holderProg, "-c", cf, typ+":"+tbl)
	fifo.WriteString("a new\n")
	if !waitLock(holder.cmd.Process.Pid, 10*time.Second) {
		t.Fatalf("the builder took no lock within 10s")
	}
	if _, ok := tableSuffix[typ]; ok {
		contender = start(t, "", contenderProg, "-c", cf, typ+":"+filepath.Join(b, "tbl"))
	} else {
		contender = start(t, "", contenderProg, "-c", cf, "-q", "a", typ+":"+tbl)
	}
	time.Sleep(700 * time.Millisecond)
	if contender.finished() {
		r := contender.wait(t, time.Second)
		t.Fatalf("%s did not wait for the builder's lock: %v", contenderProg, r)
	}
	fifo.Close()
	hr := holder.wait(t, 20*time.Second)
	cr := contender.wait(t, 20*time.Second)
	if hr.status != 0 || hr.stderr != "" {
		t.Errorf("builder: %v", hr)
	}
	switch typ {
	case "cdb":
		// The builder renamed the temporary file that the contender
		// opened and then waited for: dict_cdbm_open gives up.
		want := "postmap: fatal: stat(" + filepath.Join(b, "tbl.cdb.tmp") + "): No such file or directory\n"
		if cr.status != 1 || cr.stderr != want {
			t.Errorf("contender: %v, want status 1 and %q", cr, want)
		}
	case "lmdb":
		if cr.status != 0 || cr.stderr != "" {
			t.Errorf("contender: %v", cr)
		}
	default:
		if cr.status != 0 || cr.stderr != "" || cr.stdout != "new\n" {
			t.Errorf("reader: %v, want the builder's new value", cr)
		}
	}
}

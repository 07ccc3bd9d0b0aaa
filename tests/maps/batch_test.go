package maps

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// Our postmap -q - keeps a table locked across a burst of lookups whose
// keys it has already read (a deliberate difference from Postfix, which
// locks around each lookup). These tests run it against the real postmap
// as the writer: the burst must still exclude the writer's update, must
// end before a read from stdin that blocks, and must never show a
// half-built table.

var batchTypes = []string{"hash", "btree", "lmdb"}

// generation is a table source where every key has a value naming the
// generation, all of the same length.
func generation(gen string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "key%05d %s-%05d\n", i, gen, i)
	}
	return b.String()
}

func keyList(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "key%05d\n", i)
	}
	return b.String()
}

// checkGenerations checks postmap -q - output for the keys 0..n-1 of
// keyList: every key found, each with a value of one of the generations.
// It returns how many lines had each generation.
func checkGenerations(t *testing.T, out string, n int, gens ...string) map[string]int {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("%d answers for %d keys (a key went missing): %.200q", len(lines), n, out)
	}
	count := map[string]int{}
	for i, line := range lines {
		ok := false
		for _, g := range gens {
			if line == fmt.Sprintf("key%05d\t%s-%05d", i, g, i) {
				count[g]++
				ok = true
			}
		}
		if !ok {
			t.Fatalf("answer %d is %q: not a value of generations %v", i, line, gens)
		}
	}
	return count
}

func buildReal(t *testing.T, cf, typ, path, src string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, 30*time.Second, "", realPostmap, "-c", cf, typ+":"+path); r.status != 0 || r.stderr != "" {
		t.Fatalf("real postmap %s:%s: %v", typ, path, r)
	}
}

// TestBatchReleasesBeforeBlockingRead: our postmap has answered a burst
// of keys and waits for more input on a pipe that stays open. A real
// rebuild must not wait for it; keys sent after the rebuild see the new
// table (hash, lmdb: their readers look at the file afresh).
func TestBatchReleasesBeforeBlockingRead(t *testing.T) {
	instance.RequireRealPostfix(t)
	ours := progs.Path(t, "postmap")
	const n = 3000
	for _, typ := range batchTypes {
		t.Run(typ, func(t *testing.T) {
			cf := configDir(t, "")
			tbl := filepath.Join(t.TempDir(), "tbl")
			buildReal(t, cf, typ, tbl, generation("old", n))
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			reader := startInput(t, r, ours, "-c", cf, "-q", "-", typ+":"+tbl)
			r.Close()
			if _, err := w.WriteString(keyList(n)); err != nil {
				t.Fatal(err)
			}
			// The rebuild waits for at most one burst of our lookups.
			os.WriteFile(tbl, []byte(generation("new", n)), 0o644)
			writer := start(t, "", realPostmap, "-c", cf, typ+":"+tbl)
			wr := writer.wait(t, 20*time.Second)
			if wr.status != 0 || wr.stderr != "" {
				t.Fatalf("real rebuild: %v", wr)
			}
			if reader.finished() {
				t.Fatalf("our postmap ended before its input did: %v", reader.wait(t, time.Second))
			}
			if wr.elapsed > 10*time.Second {
				t.Errorf("the rebuild took %v while our postmap waited for input", wr.elapsed)
			}
			if typ != "btree" {
				// libdb's btree reader keeps pages cached across a
				// rebuild in place, as under Postfix: no second round.
				w.WriteString(keyList(n))
			}
			w.Close()
			rr := reader.wait(t, 30*time.Second)
			if rr.status != 0 || rr.stderr != "" {
				t.Fatalf("our postmap: status %d, stderr %q", rr.status, rr.stderr)
			}
			lines := strings.SplitAfter(rr.stdout, "\n")
			if typ == "btree" {
				checkGenerations(t, rr.stdout, n, "old", "new")
				return
			}
			if len(lines) < 2*n {
				t.Fatalf("%d answers for %d keys", len(lines)-1, 2*n)
			}
			first := strings.Join(lines[:n], "")
			checkGenerations(t, first, n, "old", "new")
			if got := checkGenerations(t, strings.Join(lines[n:], ""), n, "new"); got["new"] != n {
				t.Errorf("after the rebuild: %v", got)
			}
		})
	}
}

// TestBatchWaitsForWriter: while the real postmap holds its table's
// exclusive lock (its source is a FIFO that the test keeps open), our
// batched queries wait for it (hash, btree) and then see only the new
// table; LMDB readers do not wait and see only the old one.
func TestBatchWaitsForWriter(t *testing.T) {
	instance.RequireRealPostfix(t)
	ours := progs.Path(t, "postmap")
	const n = 2000
	for _, typ := range batchTypes {
		t.Run(typ, func(t *testing.T) {
			cf := configDir(t, "")
			tbl := filepath.Join(t.TempDir(), "tbl")
			buildReal(t, cf, typ, tbl, generation("old", n))
			fifo := fifoSource(t, tbl)
			writer := start(t, "", realPostmap, "-c", cf, typ+":"+tbl)
			fifo.WriteString(generation("new", n))
			if !waitLock(writer.cmd.Process.Pid, 10*time.Second) {
				t.Fatal("the real postmap took no lock within 10s")
			}
			reader := start(t, keyList(n), ours, "-c", cf, "-q", "-", typ+":"+tbl)
			time.Sleep(700 * time.Millisecond)
			waited := !reader.finished()
			fifo.Close()
			if wr := writer.wait(t, 30*time.Second); wr.status != 0 || wr.stderr != "" {
				t.Fatalf("real build: %v", wr)
			}
			rr := reader.wait(t, 30*time.Second)
			if rr.status != 0 || rr.stderr != "" {
				t.Fatalf("our postmap: status %d, stderr %q", rr.status, rr.stderr)
			}
			want := "new"
			if typ == "lmdb" {
				want = "old"
			}
			if waited != (typ != "lmdb") {
				t.Errorf("our reader waited for the writer: %v", waited)
			}
			if got := checkGenerations(t, rr.stdout, n, want); got[want] != n {
				t.Errorf("answers: %v, want all %s", got, want)
			}
		})
	}
}

// fifoSource replaces the source file with a FIFO held open by the test
// (O_RDWR, so the builder never sees end of file until Close).
func fifoSource(t *testing.T, path string) *os.File {
	t.Helper()
	os.Remove(path)
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestBatchDuringRebuilds runs our batched queries again and again while
// the real postmap rebuilds the table again and again, alternating two
// generations: every answer is a complete table's, never a missing key or
// a broken value.
func TestBatchDuringRebuilds(t *testing.T) {
	instance.RequireRealPostfix(t)
	ours := progs.Path(t, "postmap")
	const n = 5000
	for _, typ := range []string{"hash", "lmdb"} {
		t.Run(typ, func(t *testing.T) {
			cf := configDir(t, "")
			dir := t.TempDir()
			tbl := filepath.Join(dir, "tbl")
			buildReal(t, cf, typ, tbl, generation("aa", n))
			for _, g := range []string{"aa", "bb"} {
				os.WriteFile(filepath.Join(dir, g), []byte(generation(g, n)), 0o644)
			}
			stop := make(chan struct{})
			rebuilds := make(chan int)
			go func() {
				count := 0
				defer func() { rebuilds <- count }()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					// Copy a generation into the source, then rebuild in
					// place (the table file is the same file each time).
					src, _ := os.ReadFile(filepath.Join(dir, []string{"aa", "bb"}[i%2]))
					os.WriteFile(tbl, src, 0o644)
					p := start(t, "", realPostmap, "-c", cf, typ+":"+tbl)
					select {
					case <-p.done:
					case <-time.After(30 * time.Second):
						p.kill()
						return
					}
					if p.cmd.ProcessState.ExitCode() == 0 {
						count++
					}
				}
			}()
			seen := map[string]int{}
			deadline := time.Now().Add(4 * time.Second)
			runs := 0
			for ; runs < 100 && (runs < 3 || time.Now().Before(deadline)); runs++ {
				rr := run(t, 30*time.Second, keyList(n), ours, "-c", cf, "-q", "-", typ+":"+tbl)
				if rr.status != 0 || rr.stderr != "" {
					t.Fatalf("our postmap: status %d, stderr %q", rr.status, rr.stderr)
				}
				for g, c := range checkGenerations(t, rr.stdout, n, "aa", "bb") {
					seen[g] += c
				}
			}
			close(stop)
			count := <-rebuilds
			if count < 2 {
				t.Fatalf("only %d rebuilds ran during %d query runs", count, runs)
			}
			t.Logf("%d query runs of %d keys during %d rebuilds: answers %v", runs, n, count, seen)
		})
	}
}

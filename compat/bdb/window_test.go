package bdb

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopostfix/compat/internal/realpostfix"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// windowSource has keys in no particular order with duplicates (in
// other case too) spread over it.
func windowSource(n int) [][2]string {
	var recs [][2]string
	for i := 0; i < n; i++ {
		k := fmt.Sprintf("key%d.example", i*7919%n)
		recs = append(recs, [2]string{k, fmt.Sprintf("v%d", i)})
		if i%97 == 0 {
			recs = append(recs, [2]string{strings.ToUpper(fmt.Sprintf("key%d.example", i/2*7919%n)), fmt.Sprintf("dup%d", i)})
		}
	}
	return recs
}

// buildWith writes recs into typ:name with Make, buffering limit bytes of
// updates (0: none), and returns the warnings.
func buildWith(t *testing.T, typ, name string, flags dict.Flags, limit int, recs [][2]string) string {
	t.Helper()
	var c msg.Capture
	reg := dict.NewRegistry(msg.New(&c))
	d, err := Make(dict.OpenRequest{Registry: reg, Type: typ, Name: name, Mode: os.O_RDWR | os.O_CREATE | os.O_TRUNC,
		Flags: flags | dict.FlagFoldFix | dict.FlagBulkUpdate})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.(dict.UpdateBuffer).BufferUpdates(limit); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := d.Update(r[0], r[1]); err != nil {
			t.Fatalf("Update(%q): %v", r[0], err)
		}
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	return c.String()
}

// A build whose updates are buffered and written in bucket or key order
// holds what the same build without buffering holds (the first value of
// each key, or the last with FlagDupReplace), warns about the same
// duplicates in the same order, and the real postmap reads it.
func TestBufferedBuild(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	recs := windowSource(30000)
	for _, typ := range []string{"hash", "btree"} {
		for _, dup := range []dict.Flags{dict.FlagDupWarn, dict.FlagDupReplace} {
			dir := t.TempDir()
			plainWarn := buildWith(t, typ, filepath.Join(dir, "plain"), dup, 0, recs)
			bufWarn := buildWith(t, typ, filepath.Join(dir, "buffered"), dup, 64<<10, recs)
			if plainWarn != strings.ReplaceAll(bufWarn, "/buffered.db", "/plain.db") {
				t.Errorf("%s %v: warnings differ:\n%.300s\nbuffered:\n%.300s", typ, dup, plainWarn, bufWarn)
			}
			if dup == dict.FlagDupWarn && strings.Count(bufWarn, "duplicate entry") != 310 {
				t.Errorf("%s: %d duplicate warnings", typ, strings.Count(bufWarn, "duplicate entry"))
			}
			var lists []string
			for _, name := range []string{"plain", "buffered"} {
				r := realpostfix.Postmap(t, dir, cfg, "", "-s", typ+":"+name)
				if r.Status != 0 || r.Stderr != "" {
					t.Fatalf("real postmap -s %s:%s: %+v", typ, name, r)
				}
				lines := strings.Split(r.Stdout, "\n")
				sort.Strings(lines)
				lists = append(lists, strings.Join(lines, "\n"))
			}
			if lists[0] != lists[1] || strings.Count(lists[0], "\n") != 30000 {
				t.Errorf("%s %v: the real postmap lists %d and %d records, different", typ, dup,
					strings.Count(lists[0], "\n"), strings.Count(lists[1], "\n"))
			}
			q := realpostfix.Postmap(t, dir, cfg, "", "-q", "KEY0.example", typ+":buffered")
			want := "v0\n"
			if dup == dict.FlagDupReplace {
				want = "dup0\n"
			}
			if q.Stdout != want {
				t.Errorf("%s %v: real postmap -q KEY0.example = %q, want %q", typ, dup, q.Stdout, want)
			}
		}
	}
}

// Without a duplicate flag a duplicate is fatal: nothing is buffered then.
func TestBufferedBuildNeedsDupFlag(t *testing.T) {
	dir := t.TempDir()
	reg := dict.NewRegistry(msg.New(&msg.Capture{}))
	d, err := Make(dict.OpenRequest{Registry: reg, Type: "hash", Name: filepath.Join(dir, "t"), Mode: os.O_RDWR | os.O_CREATE | os.O_TRUNC,
		Flags: dict.FlagBulkUpdate})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.(dict.UpdateBuffer).BufferUpdates(1 << 20)
	d.Update("a", "1")
	if err := d.Update("a", "2"); dict.KindOf(err) != dict.KindConfig {
		t.Fatalf("second update of a key without dup flags: %v", err)
	}
}

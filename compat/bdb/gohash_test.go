package bdb

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopostfix/compat/internal/realpostfix"
	"gopostfix/libglobal/util/dict"
)

func openLookup(t *testing.T, typ, name string) dict.Dict {
	t.Helper()
	d, err := Open(dict.OpenRequest{Type: typ, Name: name, Mode: os.O_RDONLY, Flags: dict.FlagLock | dict.FlagFoldFix})
	if err != nil {
		t.Fatalf("Open(%s:%s): %v", typ, name, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func lookupT(t *testing.T, d dict.Dict, key string) string {
	t.Helper()
	v, ok, err := d.Lookup(key)
	if err != nil {
		t.Fatalf("Lookup(%q): %v", key, err)
	}
	if !ok {
		return "(none)"
	}
	return v
}

func generation(g, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("key" + strconv.Itoa(i) + " gen" + strconv.Itoa(g) + "-" + strconv.Itoa(i) + "\n")
	}
	return b.String()
}

// Inside a batch the Go reader answers as libdb does outside one, and a
// table rebuilt in place between two batches is read afresh: the
// metadata and the page cache belong to one batch.
func TestBatchReadsRebuiltTable(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	dir := t.TempDir()
	name := filepath.Join(dir, "map")
	realpostfix.Build(t, dir, cfg, "hash", "map", generation(1, 5000))
	d := openLookup(t, "hash", name)
	if _, ok := d.(*Dict).Store.(*goHashStore); !ok {
		t.Fatalf("read-only hash table without the Go reader: %T", d.(*Dict).Store)
	}
	keys := []string{"key0", "KEY17", "key4999", "key5000", "nokey"}
	var plain []string
	for _, k := range keys {
		plain = append(plain, lookupT(t, d, k))
	}
	if plain[0] != "gen1-0" || plain[1] != "gen1-17" || plain[3] != "(none)" {
		t.Fatalf("lookups outside a batch: %q", plain)
	}
	c := d.Common()
	if err := c.HoldLock(dict.LockShared); err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		if got := lookupT(t, d, k); got != plain[i] {
			t.Errorf("batch lookup %q = %q, outside a batch %q", k, got, plain[i])
		}
	}
	if err := c.ReleaseLock(); err != nil {
		t.Fatal(err)
	}

	// A rebuild with more keys and other values, in the same file.
	before, _ := os.Stat(name + ".db")
	realpostfix.Build(t, dir, cfg, "hash", "map", generation(2, 9000))
	after, _ := os.Stat(name + ".db")
	if !os.SameFile(before, after) {
		t.Fatal("the real postmap replaced the file instead of rebuilding it in place")
	}
	if err := c.HoldLock(dict.LockShared); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"key0": "gen2-0", "key4999": "gen2-4999", "key8999": "gen2-8999", "key9000": "(none)"} {
		if got := lookupT(t, d, k); got != want {
			t.Errorf("after the rebuild, batch lookup %q = %q, want %q", k, got, want)
		}
	}
	if err := c.ReleaseLock(); err != nil {
		t.Fatal(err)
	}
}

// A file the Go reader does not take (here: pages of the wrong type) is
// read by libdb inside the batch as well.
func TestBatchFallsBackToLibdb(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	dir := t.TempDir()
	realpostfix.Build(t, dir, cfg, "hash", "map", generation(1, 300))
	d := openLookup(t, "hash", filepath.Join(dir, "map"))
	s := d.(*Dict).Store.(*goHashStore)
	s.file.r = newMemFile([]byte("not a database"))
	c := d.Common()
	if err := c.HoldLock(dict.LockShared); err != nil {
		t.Fatal(err)
	}
	defer c.ReleaseLock()
	if got := lookupT(t, d, "key299"); got != "gen1-299" {
		t.Errorf("lookup through libdb = %q", got)
	}
	if s.file.valid {
		t.Error("the Go reader accepted a file that is not a database")
	}
}

package lmdb

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopostfix/compat/internal/realpostfix"
)

func openT(t *testing.T, path string, o Options) *Env {
	t.Helper()
	e, err := OpenFile(path, o)
	if err != nil {
		t.Fatalf("OpenFile(%s): %v", path, err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func record(i int) (k, v []byte) {
	return []byte(fmt.Sprintf("key%05d\x00", i)), []byte(fmt.Sprintf("value number %d\x00", i))
}

// bulkWrite writes n records in bulk mode, starting over on ErrRestart as
// postmap does, and returns how many restarts there were.
func bulkWrite(t *testing.T, path string, n int, mapSize int64) int {
	t.Helper()
	e := openT(t, path, Options{Truncate: true, Bulk: true, MapSize: mapSize})
	restarts := 0
feed:
	for {
		for i := 0; i < n; i++ {
			k, v := record(i)
			stored, err := e.Put(k, v, false)
			if errors.Is(err, ErrRestart) {
				restarts++
				continue feed
			}
			if err != nil || !stored {
				t.Fatalf("Put(%q) = %v, %v", k, stored, err)
			}
		}
		err := e.Close()
		if errors.Is(err, ErrRestart) {
			restarts++
			continue
		}
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
		return restarts
	}
}

func TestBulkRestartGrowsTheMap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.lmdb")
	restarts := bulkWrite(t, path, 5000, 64*1024)
	if restarts == 0 {
		t.Fatal("5000 records fit a 64 KiB map without a restart")
	}
	e := openT(t, path, Options{ReadOnly: true})
	if e.MapSize() <= 64*1024 {
		t.Errorf("map size after the build = %d, want it grown", e.MapSize())
	}
	var keys []string
	listing := realpostfix.Listing(t, func(first bool) ([]byte, []byte, bool, error) { return e.Seq(first, nil, nil) })
	for i, line := range strings.Split(strings.TrimSuffix(listing, "\n"), "\n") {
		k, v, _ := strings.Cut(line, "\t")
		keys = append(keys, k)
		if wk, wv := record(i); k+"\x00" != string(wk) || v+"\x00" != string(wv) {
			t.Fatalf("record %d = %q=%q, want %q=%q", i, k, v, wk, wv)
		}
	}
	if len(keys) != 5000 || !sort.StringsAreSorted(keys) {
		t.Fatalf("sequence gave %d records (sorted %v), want 5000 sorted", len(keys), sort.StringsAreSorted(keys))
	}
}

func TestRebuildDropsOldContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.lmdb")
	bulkWrite(t, path, 300, DefaultMapSize)
	bulkWrite(t, path, 10, DefaultMapSize)
	e := openT(t, path, Options{ReadOnly: true})
	old, _ := record(200)
	if _, found, err := e.Get(old, nil); err != nil || found {
		t.Fatalf("record 200 survived the rebuild: %v, %v", found, err)
	}
	k, v := record(7)
	got, found, err := e.Get(k, nil)
	if err != nil || !found || string(got) != string(v) {
		t.Fatalf("Get(%q) = %q, %v, %v", k, got, found, err)
	}
}

func TestUpdatesOutsideBulk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.lmdb")
	e := openT(t, path, Options{MapSize: 16 * 1024})
	// Single updates grow a small map one step at a time.
	for i := 0; i < 400; i++ {
		k, v := record(i)
		if stored, err := e.Put(k, v, false); err != nil || !stored {
			t.Fatalf("Put %d = %v, %v", i, stored, err)
		}
	}
	k, _ := record(3)
	if stored, err := e.Put(k, []byte("new\x00"), false); err != nil || stored {
		t.Fatalf("Put of an existing key = %v, %v; want false, nil", stored, err)
	}
	if stored, err := e.Put(k, []byte("new\x00"), true); err != nil || !stored {
		t.Fatalf("overwrite = %v, %v", stored, err)
	}
	if got, _, _ := e.Get(k, nil); string(got) != "new\x00" {
		t.Fatalf("after overwrite Get = %q", got)
	}
	if found, err := e.Delete(k); err != nil || !found {
		t.Fatalf("Delete = %v, %v", found, err)
	}
	if found, err := e.Delete(k); err != nil || found {
		t.Fatalf("second Delete = %v, %v", found, err)
	}
	// The sequence resumes from the last key even across a delete of a
	// record it has not reached yet.
	k0, _, ok, err := e.Seq(true, nil, nil)
	if err != nil || !ok || string(k0) != "key00000\x00" {
		t.Fatalf("first = %q, %v, %v", k0, ok, err)
	}
	k2, _ := record(2)
	if _, err := e.Delete(k2); err != nil {
		t.Fatal(err)
	}
	k1, _, ok, err := e.Seq(false, nil, nil)
	if err != nil || !ok || string(k1) != "key00001\x00" {
		t.Fatalf("next = %q, %v, %v", k1, ok, err)
	}
	kn, _, ok, err := e.Seq(false, nil, nil)
	if err != nil || !ok || string(kn) != "key00004\x00" {
		t.Fatalf("next after deletes = %q, %v, %v", kn, ok, err)
	}
}

func TestOpenErrors(t *testing.T) {
	_, err := OpenFile(filepath.Join(t.TempDir(), "missing.lmdb"), Options{ReadOnly: true})
	if err == nil || err.Error() != "No such file or directory" {
		t.Fatalf("missing file: %v", err)
	}
	if got := MapFull.Error(); got != "MDB_MAP_FULL: Environment mapsize limit reached" {
		t.Errorf("MapFull text = %q", got)
	}
}

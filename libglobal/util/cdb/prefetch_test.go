package cdb

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestHashString(t *testing.T) {
	for _, k := range []string{"", "a", "example.com", "key123.example.com", "\x00\xff"} {
		if got, want := HashString(k, false), Hash([]byte(k)); got != want {
			t.Errorf("HashString(%q, false) = %#x, Hash = %#x", k, got, want)
		}
		if got, want := HashString(k, true), Hash([]byte(k+"\x00")); got != want {
			t.Errorf("HashString(%q, true) = %#x, Hash with NUL = %#x", k, got, want)
		}
	}
}

// Prefetch leaves every lookup's result as it was, for present and
// missing keys, colliding slots included (a table of 70000 records has
// long probe runs), and reads the slots and records a lookup reads.
func TestPrefetchKeepsResults(t *testing.T) {
	var recs []kv
	for i := 0; i < 70000; i++ {
		recs = append(recs, kv{fmt.Sprintf("key%d", i), fmt.Sprintf("value%d", i)})
	}
	r := NewReader(build(t, recs, Insert))
	var hashes []uint32
	var keys []string
	for i := 0; i < 80000; i += 7 {
		k := fmt.Sprintf("key%d", i)
		keys = append(keys, k)
		hashes = append(hashes, HashString(k, false))
		if len(hashes) < 16 {
			continue
		}
		r.Prefetch(hashes)
		for _, k := range keys {
			v, ok, err := r.Find([]byte(k))
			var n int
			fmt.Sscanf(k, "key%d", &n)
			if err != nil || ok != (n < 70000) || (ok && string(v) != fmt.Sprintf("value%d", n)) {
				t.Fatalf("Find(%q) after Prefetch = %q, %v, %v", k, v, ok, err)
			}
		}
		hashes, keys = hashes[:0], keys[:0]
	}
	if r.sink == 0 {
		t.Error("Prefetch read nothing from the records")
	}
}

// Keys that differ only in their last digits (user1, user2, ...) have
// cdb hashes that differ in a few low bits; the duplicate index must
// still find every repeated key, and spread the keys over its slots.
func TestDupIndexSimilarKeys(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "x.cdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := NewWriter(f)
	const n = 50000
	for i := 0; i < n; i++ {
		if exists, err := w.Put([]byte(fmt.Sprintf("user%d", i)), []byte("v"), Insert); err != nil || exists {
			t.Fatalf("first user%d: %v %v", i, exists, err)
		}
	}
	for i := 0; i < n; i += 101 {
		if exists, err := w.Put([]byte(fmt.Sprintf("user%d", i)), []byte("again"), Insert); err != nil || !exists {
			t.Fatalf("repeated user%d: %v %v", i, exists, err)
		}
	}
	// The longest run of occupied slots bounds a probe.
	run, longest := 0, 0
	for _, v := range w.dup {
		if v != 0 {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	if longest > 200 {
		t.Errorf("a run of %d occupied slots in the duplicate index of %d", longest, len(w.dup))
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
}

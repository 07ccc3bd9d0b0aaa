package cdb

import (
	"fmt"
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

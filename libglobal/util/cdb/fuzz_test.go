package cdb

import (
	"os"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the reader: it must report damage
// as errors, never read out of bounds.
func FuzzReader(f *testing.F) {
	for _, name := range []string{"testdata/access.cdb", "testdata/aliases.cdb"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, []byte("example.com"))
		f.Add(data[:2100], []byte("root"))
	}
	f.Add(make([]byte, 2048), []byte("x"))
	f.Fuzz(func(t *testing.T, data, key []byte) {
		r := NewReader(data)
		it := r.FindAll(key)
		for i := 0; i < 1000; i++ {
			if _, ok, err := it.Next(); !ok || err != nil {
				break
			}
		}
		r.Walk(func(k, v []byte) error { return nil })
		r.Prefetch([]uint32{Hash(key), HashString(string(key), true), 0, ^uint32(0)})
	})
}

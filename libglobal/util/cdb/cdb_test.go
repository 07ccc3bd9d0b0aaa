package cdb

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

type kv struct{ k, v string }

// records returns the records of a cdb file in file order.
func records(t *testing.T, data []byte) []kv {
	t.Helper()
	var out []kv
	err := NewReader(data).Walk(func(k, v []byte) error {
		out = append(out, kv{string(k), string(v)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func build(t *testing.T, recs []kv, mode PutMode) []byte {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "x.cdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := NewWriter(f)
	for _, r := range recs {
		if _, err := w.Put([]byte(r.k), []byte(r.v), mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestGoldenRebuild rebuilds each file made by the real postmap from its
// records and requires the same bytes.
func TestGoldenRebuild(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.cdb")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, name := range files {
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		recs := records(t, want)
		if got := build(t, recs, Insert); !bytes.Equal(got, want) {
			t.Errorf("%s: rebuilt file differs", name)
		}
		r := NewReader(want)
		for _, rec := range recs {
			v, ok, err := r.Find([]byte(rec.k))
			if err != nil || !ok || string(v) != rec.v {
				t.Errorf("%s: Find(%q) = %q %v %v", name, rec.k, v, ok, err)
			}
		}
		if _, ok, _ := r.Find([]byte("no such key")); ok {
			t.Errorf("%s: found a missing key", name)
		}
	}
}

func TestModes(t *testing.T) {
	recs := []kv{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"c", "4"}}
	ins := NewReader(build(t, recs, Insert))
	if v, _, _ := ins.Find([]byte("a")); string(v) != "1" {
		t.Errorf("insert: %q", v)
	}
	repData := build(t, recs, Replace)
	if got := records(t, repData); fmt.Sprint(got) != "[{b 2} {a 3} {c 4}]" {
		t.Errorf("replace records: %v", got)
	}
	if v, _, _ := NewReader(repData).Find([]byte("a")); string(v) != "3" {
		t.Errorf("replace: %q", v)
	}
	add := NewReader(build(t, recs, Add))
	it := add.FindAll([]byte("a"))
	var vals []string
	for {
		v, ok, err := it.Next()
		if err != nil || !ok {
			break
		}
		vals = append(vals, string(v))
	}
	if fmt.Sprint(vals) != "[1 3]" {
		t.Errorf("add: %v", vals)
	}
}

func TestManyRecords(t *testing.T) {
	var recs []kv
	for i := 0; i < 70000; i++ {
		recs = append(recs, kv{fmt.Sprintf("key%d", i), fmt.Sprintf("value%d", i)})
	}
	r := NewReader(build(t, recs, Insert))
	for i := 0; i < 70000; i += 997 {
		v, ok, err := r.Find([]byte(recs[i].k))
		if err != nil || !ok || string(v) != recs[i].v {
			t.Fatalf("%q: %q %v %v", recs[i].k, v, ok, err)
		}
	}
}

func TestCorrupt(t *testing.T) {
	good, _ := os.ReadFile("testdata/access.cdb")
	bad := bytes.Clone(good)
	// Point every table past the end of the file.
	for i := 0; i < 256; i++ {
		pack(bad[i*8:], 0xfffffff0)
	}
	r := NewReader(bad)
	if _, _, err := r.Find([]byte("example.com")); !errors.Is(err, ErrFormat) {
		t.Fatalf("got %v", err)
	}
}

package lmdb

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopostfix/compat/internal/realpostfix"
)

func source(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("k" + strconv.Itoa(i*7919%100003) + "@example.com value " + strconv.Itoa(i) + "\n")
	}
	return b.String()
}

// writeSource builds NAME.lmdb from postmap-style source lines the way
// the real postmap does: one bulk transaction that drops the old content,
// keys and values with a trailing NUL.
func writeSource(t *testing.T, path, src string, mapSize int64) {
	t.Helper()
	e := openT(t, path, Options{Truncate: true, Bulk: true, MapSize: mapSize})
	for {
		restarted := false
		for _, line := range strings.Split(strings.TrimSuffix(src, "\n"), "\n") {
			k, v, _ := strings.Cut(line, " ")
			if _, err := e.Put([]byte(k+"\x00"), []byte(v+"\x00"), false); errors.Is(err, ErrRestart) {
				restarted = true
				break
			} else if err != nil {
				t.Fatal(err)
			}
		}
		if restarted {
			continue
		}
		if err := e.Close(); errors.Is(err, ErrRestart) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		return
	}
}

func TestRealPostmapReadsOurFiles(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	dir := t.TempDir()
	src := source(3000)
	writeSource(t, filepath.Join(dir, "map.lmdb"), src, 64*1024)
	r := realpostfix.Postmap(t, dir, cfg, "", "-q", "k7919@example.com", "lmdb:map")
	if r.Status != 0 || r.Stdout != "value 1\n" || r.Stderr != "" {
		t.Errorf("real postmap -q = %+v", r)
	}
	r = realpostfix.Postmap(t, dir, cfg, "", "-s", "lmdb:map")
	if r.Status != 0 || strings.Count(r.Stdout, "\n") != 3000 {
		t.Errorf("real postmap -s: status %d, %d lines, stderr %q", r.Status, strings.Count(r.Stdout, "\n"), r.Stderr)
	}
}

// The same operations on the same library give the same file: a table
// that fits the default map is byte-identical to the real postmap's.
func TestSameBytesAsRealPostmap(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	dir := t.TempDir()
	src := source(2000)
	realpostfix.Build(t, dir, cfg, "lmdb", "map", src)
	real, err := os.ReadFile(filepath.Join(dir, "map.lmdb"))
	if err != nil {
		t.Fatal(err)
	}
	ours := filepath.Join(t.TempDir(), "map.lmdb")
	writeSource(t, ours, src, DefaultMapSize)
	got, err := os.ReadFile(ours)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, real) {
		t.Fatalf("our file (%d bytes) differs from the real postmap's (%d bytes)", len(got), len(real))
	}

	// And we read the real one, in the order real postmap -s prints.
	listing := realpostfix.Postmap(t, dir, cfg, "", "-s", "lmdb:map")
	e := openT(t, filepath.Join(dir, "map.lmdb"), Options{ReadOnly: true})
	seq := realpostfix.Listing(t, func(first bool) ([]byte, []byte, bool, error) { return e.Seq(first, nil, nil) })
	if seq != listing.Stdout {
		t.Errorf("our sequence differs from real postmap -s")
	}
}

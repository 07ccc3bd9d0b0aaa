package bdb

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopostfix/compat/internal/realpostfix"
)

var kinds = []struct {
	kind Kind
	typ  string
}{{Hash, "hash"}, {Btree, "btree"}}

func source(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("user" + strconv.Itoa(i*7919%10007) + "@example.com OK " + strconv.Itoa(i) + "\n")
	}
	return b.String()
}

// writeSource stores postmap-style source lines as the real postmap does:
// keys and values with a trailing NUL, first value of a key kept.
func writeSource(t *testing.T, path string, kind Kind, src string) {
	t.Helper()
	d := openT(t, path, Options{Kind: kind, Create: true, Truncate: true, CacheSize: 16 << 20})
	for _, line := range strings.Split(strings.TrimSuffix(src, "\n"), "\n") {
		k, v, _ := strings.Cut(line, " ")
		if _, err := d.Put([]byte(k+"\x00"), []byte(v+"\x00"), false); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestRealPostmapReadsOurFiles(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	for _, tc := range kinds {
		dir := t.TempDir()
		writeSource(t, filepath.Join(dir, "map.db"), tc.kind, "example.com OK\nuser@example.org REJECT  two  spaces\n")
		r := realpostfix.Postmap(t, dir, cfg, "", "-q", "user@example.org", tc.typ+":map")
		if r.Status != 0 || r.Stdout != "REJECT  two  spaces\n" || r.Stderr != "" {
			t.Errorf("%s: real postmap -q = %+v", tc.typ, r)
		}
		r = realpostfix.Postmap(t, dir, cfg, "", "-s", tc.typ+":map")
		if r.Status != 0 || !strings.Contains(r.Stdout, "example.com\tOK\n") {
			t.Errorf("%s: real postmap -s = %+v", tc.typ, r)
		}
	}
}

// Files the real postmap builds are read back here, in the same order as
// the real postmap -s lists them (both sides walk the same libdb cursor).
func TestWeReadRealFiles(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	for _, tc := range kinds {
		dir := t.TempDir()
		realpostfix.Build(t, dir, cfg, tc.typ, "map", source(500))
		listing := realpostfix.Postmap(t, dir, cfg, "", "-s", tc.typ+":map")
		d := openT(t, filepath.Join(dir, "map.db"), Options{Kind: tc.kind, ReadOnly: true})
		got := realpostfix.Listing(t, func(first bool) ([]byte, []byte, bool, error) { return d.Seq(first, nil, nil) })
		if got != listing.Stdout {
			t.Errorf("%s: our sequence differs from real postmap -s:\nours: %.200q\nreal: %.200q", tc.typ, got, listing.Stdout)
		}
		v, found, err := d.Get([]byte("user7919@example.com\x00"), nil)
		if err != nil || !found || string(v) != "OK 1\x00" {
			t.Errorf("%s: Get = %q, %v, %v", tc.typ, v, found, err)
		}
	}
}

// The same puts through the same library give the same database: db5.3_dump
// shows the same header (type, h_nelem, page size) and the same records in
// the same order as for the real postmap's file. (The files themselves
// differ in libdb's unique file id.)
func TestSameDumpAsRealPostmap(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	src := source(3000)
	for _, tc := range kinds {
		dir, ourDir := t.TempDir(), t.TempDir()
		realpostfix.Build(t, dir, cfg, tc.typ, "map", src)
		writeSource(t, filepath.Join(ourDir, "map.db"), tc.kind, src)
		real := realpostfix.Run(t, dir, "", "db5.3_dump", "-p", "map.db")
		ours := realpostfix.Run(t, ourDir, "", "db5.3_dump", "-p", "map.db")
		if real.Status != 0 || ours.Status != 0 {
			t.Fatalf("db5.3_dump: real %+v, ours %+v", real.Stderr, ours.Stderr)
		}
		if ours.Stdout != real.Stdout {
			t.Errorf("%s: db5.3_dump of our file differs from the real postmap's:\nours: %.300q\nreal: %.300q", tc.typ, ours.Stdout, real.Stdout)
		}
		if tc.kind == Hash && !strings.Contains(ours.Stdout, "h_nelem=") {
			t.Errorf("no h_nelem in the dump header: %.200q", ours.Stdout)
		}
	}
}

package bdb

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

// bigSource is a postmap source with what a hash file can hold: many
// short records (several pages per bucket chain), values of a few
// kilobytes (chains of overflow pages), long keys (off-page keys, with
// short and long values) and keys of every length from 1 to 64.
func bigSource(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("user" + strconv.Itoa(i*7919%100003) + "@example.com value-" + strconv.Itoa(i) + "\n")
	}
	for i := 0; i < 40; i++ {
		b.WriteString("big" + strconv.Itoa(i) + " " + strings.Repeat("v"+strconv.Itoa(i), 300*(i+1)) + "\n")
	}
	for i := 0; i < 20; i++ {
		key := "longkey" + strconv.Itoa(i) + strings.Repeat("k", 1100+i*150)
		val := "short" + strconv.Itoa(i)
		if i%2 == 0 {
			val = strings.Repeat("w", 5000+i)
		}
		b.WriteString(key + " " + val + "\n")
	}
	for i := 1; i <= 64; i++ {
		b.WriteString(strings.Repeat(string(rune('a'+i%26)), i) + " len" + strconv.Itoa(i) + "\n")
	}
	return b.String()
}

// memFile is a file held in memory.
type memFile struct{ *bytes.Reader }

func (m memFile) Size() (int64, error) { return m.Reader.Size(), nil }

func newMemFile(data []byte) memFile { return memFile{bytes.NewReader(data)} }

// openHashFile returns a hashFile over path's bytes (read whole, so that
// the test can also mutate them).
func openHashFile(t *testing.T, data []byte) *hashFile {
	t.Helper()
	h := &hashFile{r: newMemFile(data)}
	if err := h.refresh(); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	return h
}

// Every record of tables the real postmap built is found by the Go
// reader with the value libdb returns, and keys that are not there are
// not found, with and without a page cache.
func TestHashFileMatchesLibdb(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	dir := t.TempDir()
	realpostfix.Build(t, dir, cfg, "hash", "map", bigSource(30000))
	path := filepath.Join(dir, "map.db")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db := openT(t, path, Options{Kind: Hash, ReadOnly: true})
	for _, cache := range []int{0, DefaultReadBuffer} {
		h := openHashFile(t, data)
		var pc pageCache
		if cache > 0 {
			pc.limit = cache
			pc.clear()
			h.cache = &pc
		}
		records, bigKeys, bigValues := 0, 0, 0
		var kb, vb []byte
		for first := true; ; first = false {
			k, v, ok, err := db.Seq(first, kb, vb)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			kb, vb = k, v
			records++
			if len(k) > 1024 {
				bigKeys++
			}
			if len(v) > 1024 {
				bigValues++
			}
			got, found, err := h.get(k, nil)
			if err != nil || !found || !bytes.Equal(got, v) {
				t.Fatalf("cache %d: get(%.40q) = %.40q, %v, %v; libdb has %.40q (%s)", cache, k, got, found, err, v, h)
			}
			miss := append(bytes.TrimSuffix(k, []byte{0}), 'x', 0)
			if _, found, err := h.get(miss, nil); err != nil || found {
				t.Fatalf("cache %d: get(%.40q) of a missing key = %v, %v", cache, miss, found, err)
			}
			if _, found, err := h.get(bytes.TrimSuffix(k, []byte{0}), nil); err != nil || found {
				t.Fatalf("cache %d: key %.40q found without its NUL byte: %v, %v", cache, k, found, err)
			}
		}
		if records != 30000+40+20+64 || bigKeys != 20 || bigValues < 40 {
			t.Fatalf("the table has %d records, %d long keys, %d long values: not the test's source", records, bigKeys, bigValues)
		}
	}
}

// The reader refuses what it does not know, so that libdb reads it.
func TestHashFileRefuses(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	dir := t.TempDir()
	realpostfix.Build(t, dir, cfg, "hash", "map", bigSource(100))
	realpostfix.Build(t, dir, cfg, "btree", "bt", bigSource(100))
	orig, err := os.ReadFile(filepath.Join(dir, "map.db"))
	if err != nil {
		t.Fatal(err)
	}
	btree, err := os.ReadFile(filepath.Join(dir, "bt.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		mutate func(m []byte) []byte
	}{
		{"btree file", func([]byte) []byte { return btree }},
		{"byte-swapped magic", func(m []byte) []byte { le.PutUint32(m[offMagic:], 0x61150600); return m }},
		{"older version", func(m []byte) []byte { le.PutUint32(m[offVersion:], 8); return m }},
		{"checksums", func(m []byte) []byte { m[offMetaflags] = 1; return m }},
		{"encryption", func(m []byte) []byte { m[offEncrypt] = 1; return m }},
		{"duplicates", func(m []byte) []byte { le.PutUint32(m[offFlags:], 1); return m }},
		{"another hash function", func(m []byte) []byte { le.PutUint32(m[offCharkey:], 12345); return m }},
		{"odd page size", func(m []byte) []byte { le.PutUint32(m[offPagesize:], 3000); return m }},
		{"truncated", func(m []byte) []byte { return m[:100] }},
	} {
		data := tc.mutate(append([]byte(nil), orig...))
		h := &hashFile{r: newMemFile(data)}
		if err := h.refresh(); !errors.Is(err, errFallback) {
			t.Errorf("%s: refresh = %v, want errFallback", tc.name, err)
		}
		if _, _, err := h.get([]byte("user0@example.com\x00"), nil); !errors.Is(err, errFallback) {
			t.Errorf("%s: get = %v, want errFallback", tc.name, err)
		}
	}

	// Damaged pages: a bucket page of the wrong type, and a file cut
	// short after the metadata page.
	h := openHashFile(t, orig)
	key := []byte("user7919@example.com\x00")
	if _, found, err := h.get(key, nil); err != nil || !found {
		t.Fatalf("get before damage: %v, %v", found, err)
	}
	bad := append([]byte(nil), orig...)
	for pg := 1; (pg+1)*int(h.pagesize) <= len(bad); pg++ {
		bad[pg*int(h.pagesize)+offPageType] = 5
	}
	if _, _, err := openHashFile(t, bad).get(key, nil); !errors.Is(err, errFallback) {
		t.Errorf("wrong page type: %v, want errFallback", err)
	}
	short := &hashFile{r: newMemFile(orig[:h.pagesize+10])}
	if err := short.refresh(); !errors.Is(err, errFallback) {
		t.Errorf("short file: %v, want errFallback", err)
	}
}

func FuzzHashFile(f *testing.F) {
	cfg := realpostfix.ConfigDir(f)
	dir := f.TempDir()
	realpostfix.Build(f, dir, cfg, "hash", "map", "a b\nbig "+strings.Repeat("x", 3000)+"\n"+strings.Repeat("k", 1500)+" long\n")
	seed, err := os.ReadFile(filepath.Join(dir, "map.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed, []byte("a\x00"))
	f.Add(seed, []byte("big\x00"))
	f.Add(seed[:1024], []byte("a\x00"))
	f.Fuzz(func(t *testing.T, data, key []byte) {
		h := &hashFile{r: newMemFile(data)}
		if h.refresh() != nil {
			return
		}
		// Whatever the bytes, get returns (no panic, no endless loop).
		h.get(key, nil)
		h.cache = &pageCache{limit: 4 * int(h.pagesize)}
		h.cache.clear()
		h.get(key, nil)
	})
}

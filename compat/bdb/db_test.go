package bdb

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
)

func openT(t *testing.T, path string, o Options) *DB {
	t.Helper()
	d, err := OpenFile(path, o)
	if err != nil {
		t.Fatalf("OpenFile(%s): %v", path, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestRoundTrip(t *testing.T) {
	for _, kind := range []Kind{Hash, Btree} {
		t.Run(fmt.Sprint(kind), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			d := openT(t, path, Options{Kind: kind, Create: true, Truncate: true, CacheSize: 1 << 20})
			want := map[string]string{}
			for i := 0; i < 2000; i++ {
				k, v := fmt.Sprintf("key%d\x00", i), fmt.Sprintf("value %d\x00", i)
				stored, err := d.Put([]byte(k), []byte(v), false)
				if err != nil || !stored {
					t.Fatalf("Put(%q) = %v, %v", k, stored, err)
				}
				want[k] = v
			}
			stored, err := d.Put([]byte("key7\x00"), []byte("other\x00"), false)
			if err != nil || stored {
				t.Fatalf("Put of an existing key without overwrite = %v, %v; want false, nil", stored, err)
			}
			if stored, err := d.Put([]byte("key8\x00"), []byte("replaced\x00"), true); err != nil || !stored {
				t.Fatalf("Put with overwrite = %v, %v", stored, err)
			}
			want["key8\x00"] = "replaced\x00"
			if found, err := d.Delete([]byte("key9\x00")); err != nil || !found {
				t.Fatalf("Delete = %v, %v", found, err)
			}
			delete(want, "key9\x00")
			if found, err := d.Delete([]byte("key9\x00")); err != nil || found {
				t.Fatalf("second Delete = %v, %v; want false, nil", found, err)
			}
			if err := d.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}

			r := openT(t, path, Options{Kind: kind, ReadOnly: true})
			var buf []byte
			for k, v := range want {
				got, found, err := r.Get([]byte(k), buf)
				if err != nil || !found || string(got) != v {
					t.Fatalf("Get(%q) = %q, %v, %v; want %q", k, got, found, err, v)
				}
				buf = got
			}
			if _, found, err := r.Get([]byte("key7"), nil); err != nil || found {
				t.Fatalf("Get without the NUL = %v, %v; want not found", found, err)
			}
			var keys []string
			var kb, vb []byte
			for first := true; ; first = false {
				k, v, ok, err := r.Seq(first, kb, vb)
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					break
				}
				if want[string(k)] != string(v) {
					t.Fatalf("Seq gave %q=%q, stored %q", k, v, want[string(k)])
				}
				keys = append(keys, string(k))
				kb, vb = k, v
			}
			if len(keys) != len(want) {
				t.Fatalf("Seq returned %d records, want %d", len(keys), len(want))
			}
			if kind == Btree && !sort.StringsAreSorted(keys) {
				t.Fatalf("btree sequence is not sorted: %q...", keys[:5])
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := OpenFile(filepath.Join(dir, "missing.db"), Options{Kind: Hash, ReadOnly: true})
	if !errors.Is(err, syscall.ENOENT) || err.Error() != "No such file or directory" {
		t.Fatalf("missing file: %v", err)
	}
	// A btree file opened as hash is refused (libdb prints its own
	// BDB0641 line on stderr first, as under Postfix).
	path := filepath.Join(dir, "b.db")
	d := openT(t, path, Options{Kind: Btree, Create: true})
	d.Close()
	_, err = OpenFile(path, Options{Kind: Hash, ReadOnly: true})
	if !errors.Is(err, syscall.EINVAL) || err.Error() != "Invalid argument" {
		t.Fatalf("wrong access method: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "junk.db"), bytes.Repeat([]byte("junk"), 1024), 0644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFile(filepath.Join(dir, "junk.db"), Options{Kind: Hash, ReadOnly: true}); err == nil {
		t.Fatal("a file of junk opened as a database")
	}
}

func TestErrnoText(t *testing.T) {
	for _, tc := range []struct {
		e    Errno
		want string
	}{
		{Errno(syscall.ENOENT), "No such file or directory"},
		{Errno(syscall.EACCES), "Permission denied"},
		{ErrNotFound, "Unknown error -30988"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Errno(%d) = %q, want %q", int(tc.e), got, tc.want)
		}
	}
}

package maptypes_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopostfix/compat/internal/realpostfix"
	"gopostfix/compat/lmdb"
	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

var fileTypes = []string{"hash", "btree", "lmdb"}

func registry(stderr *bytes.Buffer) *dict.Registry {
	r := dict.NewRegistry(msg.New(msg.NewWriterSink("postmap", stderr)))
	maptypes.Register(r)
	return r
}

// build writes records into TYPE:name as postmap does: through the maker,
// with duplicate warnings and fixed-key folding, restarting on
// lmdb.ErrRestart.
func build(t *testing.T, r *dict.Registry, typ, name string, mode int, flags dict.Flags, records [][2]string) {
	t.Helper()
	d, err := r.OpenMaker(typ, name, mode, flags)
	if err != nil {
		t.Fatalf("OpenMaker(%s:%s): %v", typ, name, err)
	}
feed:
	for {
		for _, kv := range records {
			err := d.Update(kv[0], kv[1])
			if errors.Is(err, lmdb.ErrRestart) {
				continue feed
			}
			if err != nil {
				t.Fatalf("Update(%q): %v", kv[0], err)
			}
		}
		if err := d.Close(); errors.Is(err, lmdb.ErrRestart) {
			continue
		} else if err != nil {
			t.Fatalf("Close: %v", err)
		}
		return
	}
}

const create = os.O_RDWR | os.O_CREATE | os.O_TRUNC

var records = [][2]string{
	{"Example.COM", "OK"},
	{"user@example.org", "REJECT  user  rule"},
	{"example.com", "second value"},
	{".sub.example.com", "DISCARD"},
	{"1.2.3", "REJECT net"},
}

// Tables we build are read by the real postmap: folded keys, first value
// of a duplicate kept (with Postfix's warning text), values verbatim.
func TestRealPostmapReadsOurTables(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	for _, typ := range fileTypes {
		dir := t.TempDir()
		var stderr bytes.Buffer
		build(t, registry(&stderr), typ, filepath.Join(dir, "access"), create, dict.FlagMkmapDefault, records)
		label := map[string]string{"hash": "access.db", "btree": "access.db", "lmdb": "lmdb:access"}[typ]
		wantWarn := "postmap: warning: " + filepath.Join(dir, label) + `: duplicate entry: "example.com"` + "\n"
		if typ == "lmdb" {
			wantWarn = "postmap: warning: lmdb:" + filepath.Join(dir, "access") + `: duplicate entry: "example.com"` + "\n"
		}
		if stderr.String() != wantWarn {
			t.Errorf("%s: warnings %q, want %q", typ, stderr.String(), wantWarn)
		}
		for key, want := range map[string]string{"EXAMPLE.COM": "OK", "user@example.org": "REJECT  user  rule", ".sub.example.com": "DISCARD"} {
			r := realpostfix.Postmap(t, dir, cfg, "", "-q", key, typ+":access")
			if r.Status != 0 || r.Stdout != want+"\n" || r.Stderr != "" {
				t.Errorf("%s: real postmap -q %s = %+v, want %q", typ, key, r, want)
			}
		}
		if r := realpostfix.Postmap(t, dir, cfg, "", "-q", "nosuch", typ+":access"); r.Status != 1 || r.Stdout != "" {
			t.Errorf("%s: real postmap -q nosuch = %+v", typ, r)
		}
	}
}

// Tables the real postmap builds, with and without trailing NULs (-N,
// -n), are read here, and -s order is the same.
func TestWeReadRealTables(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	src := "Example.COM OK\nuser@example.org REJECT  user  rule\n1.2.3 net\n"
	for _, typ := range fileTypes {
		for _, opt := range []string{"-N", "-n"} {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "access"), []byte(src), 0644); err != nil {
				t.Fatal(err)
			}
			if r := realpostfix.Postmap(t, dir, cfg, "", opt, typ+":access"); r.Status != 0 {
				t.Fatalf("real postmap %s %s = %+v", opt, typ, r)
			}
			var stderr bytes.Buffer
			d, err := registry(&stderr).Open(typ+":"+filepath.Join(dir, "access"), os.O_RDONLY, dict.FlagDefault)
			if err != nil {
				t.Fatal(err)
			}
			for key, want := range map[string]string{"example.com": "OK", "USER@example.org": "REJECT  user  rule"} {
				if v, ok, err := d.Lookup(key); err != nil || !ok || v != want {
					t.Errorf("%s %s: Lookup(%s) = %q, %v, %v", typ, opt, key, v, ok, err)
				}
			}
			if _, ok, err := d.Lookup("nosuch"); ok || err != nil {
				t.Errorf("%s %s: Lookup(nosuch) = %v, %v", typ, opt, ok, err)
			}
			listing := realpostfix.Postmap(t, dir, cfg, "", "-s", typ+":access").Stdout
			if got := sequence(t, d); got != listing {
				t.Errorf("%s %s: sequence %q, real -s %q", typ, opt, got, listing)
			}
			d.Close()
		}
	}
}

func sequence(t *testing.T, d dict.Dict) string {
	var b strings.Builder
	for op := dict.SeqFirst; ; op = dict.SeqNext {
		k, v, ok, err := d.Sequence(op)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return b.String()
		}
		b.WriteString(k + "\t" + v + "\n")
	}
}

// Incremental updates and deletes (postmap -i, -d) on a real table, then
// read back by the real postmap.
func TestUpdateAndDeleteRealTables(t *testing.T) {
	cfg := realpostfix.ConfigDir(t)
	for _, typ := range fileTypes {
		dir := t.TempDir()
		realpostfix.Build(t, dir, cfg, typ, "access", "a.example OK\nb.example REJECT\n")
		var stderr bytes.Buffer
		r := registry(&stderr)
		build(t, r, typ, filepath.Join(dir, "access"), os.O_RDWR|os.O_CREATE, dict.FlagMkmapDefault|dict.FlagDupReplace,
			[][2]string{{"C.example", "NEW"}, {"a.example", "CHANGED"}})
		d, err := r.Open(typ+":"+filepath.Join(dir, "access"), os.O_RDWR, dict.FlagDefault)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := d.Delete("B.EXAMPLE"); !ok || err != nil {
			t.Errorf("%s: Delete = %v, %v", typ, ok, err)
		}
		if ok, err := d.Delete("nosuch"); ok || err != nil {
			t.Errorf("%s: Delete(nosuch) = %v, %v", typ, ok, err)
		}
		d.Close()
		got := realpostfix.Postmap(t, dir, cfg, "", "-s", typ+":access")
		lines := strings.Split(strings.TrimSuffix(got.Stdout, "\n"), "\n")
		sort.Strings(lines)
		if want := "a.example\tCHANGED,c.example\tNEW"; strings.Join(lines, ",") != want || stderr.Len() != 0 {
			t.Errorf("%s: after -i and -d the real postmap -s gives %q (warnings %q), want %q", typ, lines, stderr.String(), want)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	var stderr bytes.Buffer
	r := registry(&stderr)
	dir := t.TempDir()
	for typ, want := range map[string]string{
		"hash":  "open database " + dir + "/nosuch.db: No such file or directory",
		"btree": "open database " + dir + "/nosuch.db: No such file or directory",
		"lmdb":  "open database " + dir + "/nosuch.lmdb: No such file or directory",
		"mysql": "open " + dir + "/nosuch: No such file or directory",
		"pgsql": "open " + dir + "/nosuch: No such file or directory",
	} {
		_, err := r.Open(typ+":"+dir+"/nosuch", os.O_RDONLY, dict.FlagDefault)
		if err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", typ, err, want)
		}
	}
	if got := strings.Join(r.Types(), " "); got != "btree hash lmdb mysql pcre pgsql regexp" {
		t.Errorf("registered types %q", got)
	}
}

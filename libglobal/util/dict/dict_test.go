package dict

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopostfix/libglobal/util/msg"
)

// memDict is a minimal fixed-key type used to exercise the shared helpers
// the way real types use them.
type memDict struct {
	Base
	m          map[string][]byte
	withNUL    bool
	prefetched []string
}

func (d *memDict) Prefetch(keys []string) { d.prefetched = append(d.prefetched, keys...) }

func openMem(req OpenRequest) (Dict, error) {
	d := &memDict{m: map[string][]byte{}}
	d.Init(req, FlagFixed)
	if d.Flags()&(FlagTry0Null|FlagTry1Null) == 0 {
		d.AddFlags(FlagTry0Null | FlagTry1Null)
	}
	return d, nil
}

func (d *memDict) Lookup(key string) (string, bool, error) {
	key = d.FoldKey(key)
	return d.LookupNUL(key, func(k []byte) ([]byte, bool, error) {
		v, ok := d.m[string(k)]
		return v, ok, nil
	})
}

func (d *memDict) Update(key, value string) error {
	key = d.FoldKey(key)
	nul := d.UpdateNUL(false)
	k := string(NULBytes(key, nul))
	if _, exists := d.m[k]; exists {
		replace, err := d.Duplicate(d.Name(), key)
		if err != nil || !replace {
			return err
		}
	}
	d.m[k] = NULBytes(value, nul)
	return nil
}

func newTestRegistry(t *testing.T) (*Registry, *msg.Capture) {
	t.Helper()
	var c msg.Capture
	r := NewRegistry(msg.New(&c))
	r.Register("mem", openMem)
	r.RegisterMaker("mem", openMem)
	return r, &c
}

func TestSplitSpec(t *testing.T) {
	tests := []struct{ spec, typ, name, err string }{
		{"hash:/etc/postfix/access", "hash", "/etc/postfix/access", ""},
		{"inline:{a=b}", "inline", "{a=b}", ""},
		{"proxy:hash:/x", "proxy", "hash:/x", ""},
		{"environ:", "", "", `open dictionary: expecting "type:name" form instead of "environ:"`},
		{"noname", "", "", `open dictionary: expecting "type:name" form instead of "noname"`},
	}
	for _, tc := range tests {
		typ, name, err := SplitSpec(tc.spec)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%s: err %v, want %q", tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil || typ != tc.typ || name != tc.name {
			t.Errorf("%s: got %q %q %v", tc.spec, typ, name, err)
		}
	}
}

func TestUnsupportedType(t *testing.T) {
	r, _ := newTestRegistry(t)
	r.RegisterMissing("mysql", "Is the postfix-mysql package installed?")
	_, err := r.Open("nosuch:foo", os.O_RDONLY, 0)
	if err == nil || err.Error() != "unsupported dictionary type: nosuch" || KindOf(err) != KindConfig {
		t.Fatalf("got %v", err)
	}
	_, err = r.Open("mysql:/x", os.O_RDONLY, 0)
	if err == nil || err.Error() != "unsupported dictionary type: mysql. Is the postfix-mysql package installed?" {
		t.Fatalf("got %v", err)
	}
	r.Register("static", openMem)
	_, err = r.OpenMaker("static", "x", os.O_RDWR, 0)
	if err == nil || err.Error() != "unsupported dictionary type: static does not support bulk-mode creation." {
		t.Fatalf("got %v", err)
	}
	_, err = r.OpenMaker("dbm", "x", os.O_RDWR, 0)
	if err == nil || err.Error() != "unsupported dictionary type: dbm. Is the postfix-dbm package installed?" {
		t.Fatalf("got %v", err)
	}
	if got := strings.Join(r.Types(), " "); got != "mem static" {
		t.Fatalf("types %q", got)
	}
}

func TestNULAutoDetect(t *testing.T) {
	r, _ := newTestRegistry(t)
	d, _ := r.Open("mem:x", os.O_RDONLY, FlagFoldFix)
	m := d.(*memDict)
	m.m["withnul\x00"] = []byte("v1\x00")
	m.m["plain"] = []byte("v2")
	// Both forms are tried until one hits; then only that form is used.
	if v, ok, _ := d.Lookup("WithNUL"); !ok || v != "v1" {
		t.Fatalf("got %q %v", v, ok)
	}
	if d.Flags()&FlagTry0Null != 0 || d.Flags()&FlagTry1Null == 0 {
		t.Fatalf("flags after NUL hit: %s", d.Flags())
	}
	if _, ok, _ := d.Lookup("plain"); ok {
		t.Fatal("plain key found after table was detected as NUL-terminated")
	}
}

func TestUpdateNULDefaultAndDuplicates(t *testing.T) {
	r, c := newTestRegistry(t)
	d, _ := r.OpenMaker("mem", "tbl", os.O_RDWR|os.O_CREATE|os.O_TRUNC, FlagFoldFix|FlagTry0Null|FlagTry1Null)
	if err := d.Update("Key", "one"); err != nil {
		t.Fatal(err)
	}
	if err := d.Update("key", "two"); err != nil {
		t.Fatal(err)
	}
	m := d.(*memDict)
	if string(m.m["key"]) != "one" || len(m.m) != 1 {
		t.Fatalf("table %q", m.m)
	}
	if c.String() != "warning: tbl: duplicate entry: \"key\"\n" {
		t.Fatalf("warnings %q", c.String())
	}
	d.SetFlags(d.Flags() | FlagDupReplace)
	d.Update("key", "three")
	if string(m.m["key"]) != "three" {
		t.Fatalf("replace: %q", m.m)
	}
	d.SetFlags(d.Flags() &^ (FlagDupReplace | FlagDupWarn))
	if err := d.Update("key", "four"); err == nil || err.Error() != `tbl: duplicate entry: "key"` {
		t.Fatalf("no dup flags: %v", err)
	}
}

func TestCaseFold(t *testing.T) {
	tests := []struct {
		in, want string
		utf8, ok bool
	}{
		{"Example.COM", "example.com", true, true},
		{"Example.COM", "example.com", false, true},
		{"STRASSE-Straße", "strasse-strasse", true, true},
		{"ÄÖÜ", "ÄÖÜ", false, true},
		{"ÄÖÜ", "äöü", true, true},
		{"bad\xffUTF", "", true, false},
		{"bad\xffUTF", "bad\xffutf", false, true},
	}
	for _, tc := range tests {
		got, ok := CaseFold(tc.in, tc.utf8)
		if got != tc.want || ok != tc.ok {
			t.Errorf("CaseFold(%q, %v) = %q, %v; want %q, %v", tc.in, tc.utf8, got, ok, tc.want, tc.ok)
		}
	}
}

func TestUTF8Layer(t *testing.T) {
	r, c := newTestRegistry(t)
	r.UTF8 = true
	d, _ := r.OpenMaker("mem", "u", os.O_RDWR|os.O_CREATE, FlagFoldFix|FlagUTF8Request|FlagTry0Null)
	if d.Flags()&FlagUTF8Active == 0 {
		t.Fatal("UTF-8 layer not active")
	}
	d.Update("ÄBC", "v")
	d.Update("x\xff", "v")
	d.Update("y", "bad\xff")
	if v, ok, _ := d.Lookup("äbc"); !ok || v != "v" {
		t.Fatalf("folded lookup: %q %v", v, ok)
	}
	if _, ok, err := d.Lookup("\xfe"); ok || err != nil {
		t.Fatal("malformed key must miss without error")
	}
	want := "warning: mem:u: non-UTF-8 key \"x\xff\": malformed UTF-8 or invalid codepoint\n" +
		"warning: mem:u: key \"y\": non-UTF-8 value \"bad\xff\": malformed UTF-8 or invalid codepoint\n" +
		"warning: mem:u: non-UTF-8 key \"\xfe\": malformed UTF-8 or invalid codepoint\n"
	if c.String() != want {
		t.Fatalf("warnings %q", c.String())
	}
	d.(*utf8Dict).Unwrap().(*memDict).m["z"] = []byte("bad\xfe")
	if _, _, err := d.Lookup("z"); KindOf(err) != KindConfig {
		t.Fatalf("malformed value: %v", err)
	}
}

func TestUnsupportedOps(t *testing.T) {
	r, _ := newTestRegistry(t)
	d, _ := r.Open("mem:/etc/x", os.O_RDONLY, 0)
	_, _, _, err := d.Sequence(SeqFirst)
	if !errors.Is(err, ErrUnsupported) || err.Error() != "table mem:/etc/x: sequence operation is not supported" {
		t.Fatalf("got %v", err)
	}
}

func TestSurrogate(t *testing.T) {
	tests := []struct {
		spec     string
		mode     int
		flags    Flags
		op       func(d Dict) error
		kind     ErrKind // KindNone: the operation is not supported
		log      string
		wantFlag Flags
	}{
		{"nosuch:x", os.O_RDONLY, FlagLock, func(d Dict) error { _, _, err := d.Lookup("k"); return err }, KindRetry,
			"error: unsupported dictionary type: nosuch\n" +
				"warning: nosuch:x is unavailable. unsupported dictionary type: nosuch\n", FlagLock | FlagPattern},
		{"nosuch:y", os.O_RDONLY, 0, func(d Dict) error { _, _, _, err := d.Sequence(SeqFirst); return err }, KindRetry,
			"error: unsupported dictionary type: nosuch\n" +
				"warning: nosuch:y is unavailable. unsupported dictionary type: nosuch\n", FlagPattern},
		// Read-only: update is simply not supported, nothing is logged.
		{"nosuch:z", os.O_RDONLY, 0, func(d Dict) error { return d.Update("k", "v") }, KindNone,
			"error: unsupported dictionary type: nosuch\n", FlagPattern},
		{"nosuch:w", os.O_RDWR | os.O_CREATE, 0, func(d Dict) error { _, err := d.Delete("k"); return err }, KindRetry,
			"error: unsupported dictionary type: nosuch\n" +
				"warning: nosuch:w is unavailable. unsupported dictionary type: nosuch\n", FlagPattern},
	}
	for _, tc := range tests {
		r, c := newTestRegistry(t)
		r.AllowSurrogate = true
		d, err := r.Open(tc.spec, tc.mode, tc.flags)
		if err != nil {
			t.Fatal(err)
		}
		if d.Flags() != tc.wantFlag {
			t.Errorf("%s: flags %s, want %s", tc.spec, d.Flags(), tc.wantFlag)
		}
		err = tc.op(d)
		if tc.kind == KindNone {
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("%s: got %v, want unsupported", tc.spec, err)
			}
		} else if KindOf(err) != tc.kind {
			t.Errorf("%s: kind %v (%v), want %v", tc.spec, KindOf(err), err, tc.kind)
		}
		if c.String() != tc.log {
			t.Errorf("%s: log %q, want %q", tc.spec, c.String(), tc.log)
		}
	}
	r, _ := newTestRegistry(t)
	if _, err := r.Open("nosuch:x", os.O_RDONLY, 0); err == nil || KindOf(err) != KindConfig {
		t.Errorf("without AllowSurrogate: %v", err)
	}
}

func TestSharedCache(t *testing.T) {
	r, _ := newTestRegistry(t)
	a, _ := r.Shared("mem:x", os.O_RDONLY, 0)
	b, _ := r.Shared("mem:x", os.O_RDONLY, 0)
	c, _ := r.Shared("mem:x", os.O_RDONLY, FlagFoldFix)
	if a != b || a == c {
		t.Fatal("cache does not share by spec, mode and flags")
	}
	r.Release(a)
	if d, _ := r.Shared("mem:x", os.O_RDONLY, 0); d != b {
		t.Fatal("released too early")
	}
}

func TestChanged(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("x"), 0644)
	var b Base
	st, _ := os.Stat(p)
	b.RecordFile(p, st)
	if b.changed() {
		t.Fatal("unchanged file reported changed")
	}
	os.Remove(p)
	if !b.changed() {
		t.Fatal("removed file not reported")
	}
}

func TestFileBase64(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "file1.txt"), []byte("line one\nline two\n"), 0644)
	os.WriteFile(filepath.Join(dir, "file2.txt"), []byte("second file\n"), 0644)
	t.Chdir(dir)
	got, err := FileToBase64("file1.txt, file2.txt")
	if err != nil || got != "bGluZSBvbmUKbGluZSB0d28KCnNlY29uZCBmaWxlCg==" {
		t.Fatalf("got %q %v", got, err)
	}
	if _, err := FileToBase64("nosuch"); err == nil || err.Error() != "open nosuch: No such file or directory" {
		t.Fatalf("got %v", err)
	}
	if _, err := FileFromBase64("!!!"); err == nil || err.Error() != "malformed BASE64 value: !!!" {
		t.Fatalf("got %v", err)
	}
}

func TestFlagsString(t *testing.T) {
	f := FlagFixed | FlagLock | FlagFoldFix
	if f.String() != "fixed|lock|fold_fix" {
		t.Fatal(f.String())
	}
	if g, ok := ParseFlags(f.String()); !ok || g != f {
		t.Fatalf("round trip %v %v", g, ok)
	}
}

func TestOwnerAggregate(t *testing.T) {
	o := Owner{Status: OwnerTrusted}
	o = o.Aggregate(Owner{Status: OwnerUntrusted, UID: 5})
	if o.Status != OwnerUntrusted || o.UID != 5 {
		t.Fatal(o)
	}
	o = o.Aggregate(Owner{Status: OwnerUntrusted, UID: 6})
	if o.Status != OwnerUnknown {
		t.Fatal(o)
	}
}

func TestLockStyles(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := os.Open(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	fd, gd := int(f.Fd()), int(g.Fd())
	// flock locks belong to open files: a second open file conflicts.
	if err := FlockFile(fd, LockExclusive); err != nil {
		t.Fatal(err)
	}
	if err := FlockFile(gd, LockShared|LockNoWait); err != ErrLocked {
		t.Fatalf("flock conflict: %v", err)
	}
	if err := FlockFile(fd, LockNone); err != nil {
		t.Fatal(err)
	}
	if err := FlockFile(gd, LockShared|LockNoWait); err != nil {
		t.Fatal(err)
	}
	var b Base
	b.InitName("t", "n", FlagLock, nil)
	b.LockFD, b.LockStyle = fd, StyleFlock
	ran := false
	if err := b.WithLock(LockShared, func() error { ran = true; return nil }); err != nil || !ran {
		t.Fatalf("shared with shared: %v %v", err, ran)
	}
}

func TestBlocks(t *testing.T) {
	// 0 IF, 1 rule, 2 IF, 3 rule, 4 ENDIF, 5 IF, 6 rule (no ENDIF for 0 and 5)
	var b Blocks
	kinds := []BlockKind{BlockIf, BlockNone, BlockIf, BlockNone, BlockEndif, BlockIf, BlockNone}
	depths := []int{0, 1, 1, 2, 2, 1, 2}
	for i, k := range kinds {
		if b.Depth() != depths[i] {
			t.Errorf("rule %d: depth %d, want %d", i, b.Depth(), depths[i])
		}
		b.Add(k)
	}
	if e, ok := b.Skip(2); !ok || e != 4 {
		t.Errorf("Skip(2) = %d %v", e, ok)
	}
	if _, ok := b.Skip(0); ok {
		t.Error("Skip(0) found an ENDIF")
	}
	if got := b.Unclosed(); len(got) != 2 || got[0] != 5 || got[1] != 0 {
		t.Errorf("Unclosed = %v", got)
	}
}

func TestRegisterDefault(t *testing.T) {
	r, _ := newTestRegistry(t)
	fromDefault := func(OpenRequest) (Dict, error) { return nil, Configf("default") }
	r.RegisterDefault("dflt", fromDefault)
	r.RegisterDefault("mem", fromDefault) // mem is registered: no change
	if _, err := r.Open("mem:x", os.O_RDONLY, 0); err != nil {
		t.Fatalf("RegisterDefault replaced a registered type: %v", err)
	}
	if _, err := r.Open("dflt:x", os.O_RDONLY, 0); err == nil || err.Error() != "default" {
		t.Fatalf("default not registered: %v", err)
	}
	r.Register("dflt", openMem) // replaces the default without a panic
	if _, err := r.Open("dflt:x", os.O_RDONLY, 0); err != nil {
		t.Fatalf("Register did not replace the default: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("a second Register did not panic")
		}
	}()
	r.Register("dflt", openMem)
}

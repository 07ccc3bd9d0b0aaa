package maps

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopostfix/libglobal/util/cdb"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/msg"
)

func registry() *dict.Registry {
	r := dict.NewRegistry(msg.Discard())
	stdtypes.Register(r)
	return r
}

func TestMailAddrFind(t *testing.T) {
	reg := registry()
	m, err := Open(reg, "virtual_alias_maps",
		"inline:{ full+ext@d.example=A, bare@d.example=B, localonly=C, @catch.example=D, {\"q u\"@d.example=E} }",
		dict.FlagDefault, msg.Discard())
	if err != nil {
		t.Fatal(err)
	}
	dest, err := NewMatchList(reg, "mydestination", "mx.example", StringList, false, msg.Discard())
	if err != nil {
		t.Fatal(err)
	}
	env := &AddrEnv{Delim: "+", MyOrigin: "origin.example", DoubleBounce: "double-bounce",
		IsLocal: (&Local{Dest: dest}).Match}
	tests := []struct {
		addr, value, ext string
		found            bool
	}{
		{"full+ext@d.example", "A", "", true},
		{"bare+x@d.example", "B", "+x", true},
		{"bare@d.example", "B", "", true},
		{"localonly@mx.example", "C", "", true},
		{"localonly+y@origin.example", "C", "+y", true},
		{"localonly@remote.example", "", "", false},
		{"anyone@catch.example", "D", "", true},
		{"q u@d.example", "E", "", true},
		{"postmaster+x@d.example", "", "", false},
	}
	for _, tc := range tests {
		res, err := m.MailAddrFind(env, tc.addr, FindDefault)
		if err != nil {
			t.Fatalf("%s: %v", tc.addr, err)
		}
		if res.Found != tc.found || res.Value != tc.value || res.Ext != tc.ext {
			t.Errorf("%s: got %+v, want %q %q %v", tc.addr, res, tc.value, tc.ext, tc.found)
		}
	}
}

func TestMatchList(t *testing.T) {
	reg := registry()
	tests := []struct {
		patterns string
		kind     ListKind
		parent   bool
		name     string
		want     bool
	}{
		{"example.com", StringList, false, "EXAMPLE.com", true},
		{"example.com", StringList, false, "sub.example.com", false},
		{"example.com", DomainList, true, "sub.example.com", true},
		{"example.com", DomainList, false, "sub.example.com", false},
		{".example.com", DomainList, false, "sub.example.com", true},
		{"!sub.example.com, example.com", DomainList, true, "sub.example.com", false},
		{"inline:{example.com=x}", DomainList, true, "a.b.example.com", true},
		{"inline:{example.com=x}", StringList, true, "a.example.com", false},
	}
	for _, tc := range tests {
		l, err := NewMatchList(reg, "test", tc.patterns, tc.kind, tc.parent, msg.Discard())
		if err != nil {
			t.Fatal(err)
		}
		if got, err := l.Match(tc.name); err != nil || got != tc.want {
			t.Errorf("%q ~ %q: got %v %v, want %v", tc.name, tc.patterns, got, err, tc.want)
		}
	}
}

// TestFindFatal: a table whose lookup fails for good (a cdb file cut
// short, whose records point past its end) ends the process with
// Postfix's "error reading FILE: Protocol error", as dict_cdb's
// msg_fatal does, instead of a lookup error for the caller.
func TestFindFatal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "short")
	f, err := os.Create(path + ".cdb")
	if err != nil {
		t.Fatal(err)
	}
	w := cdb.NewWriter(f)
	for i := 0; i < 300; i++ {
		if _, err := w.Put([]byte(fmt.Sprintf("key%d", i)), []byte("value"), cdb.Add); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	f.Truncate(st.Size() / 3)
	f.Close()

	var c msg.Capture
	log := msg.New(&c)
	exited := -1
	log.Exit = func(code int) { exited = code; panic("exit") }
	m, err := Open(registry(), "check_sender_access", "cdb:"+path, dict.FlagDefault, log)
	if err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() { recover() }()
		m.Find("key1", false)
	}()
	want := "fatal: error reading " + path + ".cdb: Protocol error"
	if exited != 1 || !strings.Contains(c.String(), want) {
		t.Errorf("exit %d, log %q; want exit 1 and %q", exited, c.String(), want)
	}
}

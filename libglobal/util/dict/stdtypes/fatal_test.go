package stdtypes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopostfix/libglobal/util/dict"
)

// TestOpenFatalOrSurrogate opens tables with a registry that allows
// stand-ins, as the daemons use it. The failures that Postfix's open
// functions report with msg_fatal (a read error on a cidr or texthash
// file, a cdb file that tinycdb cannot map, a cdb open mode that is
// neither query nor create) come back as KindFatal errors with Postfix's
// text, the others as a stand-in that logged the reason. The texts are
// those the real postmap -q prints for the same tables.
func TestOpenFatalOrSurrogate(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.cdb"), 0755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "short.cdb"), []byte("abc"), 0644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		spec  string
		mode  int
		fatal string // the fatal text, "" for a stand-in
		log   string // what the open logged
	}{
		{"cidr:" + sub, os.O_RDONLY, "cidr map " + sub + ": read error: Is a directory", ""},
		{"texthash:" + sub, os.O_RDONLY, "read " + sub + ": Is a directory", ""},
		{"cdb:" + dir + "/short", os.O_RDONLY, "dict_cdbq_open: unable to init " + dir + "/short.cdb: Protocol error", ""},
		{"cdb:" + dir + "/dir", os.O_RDONLY, "dict_cdbq_open: unable to init " + dir + "/dir.cdb: No such device", ""},
		{"cdb:" + dir + "/x", os.O_RDWR, "dict_cdb_open: inappropriate open flags for cdb database - specify O_RDONLY or O_WRONLY|O_CREAT|O_TRUNC", ""},
		{"pipemap:{inline:{a=b}, cidr:" + sub + "}", os.O_RDONLY, "cidr map " + sub + ": read error: Is a directory", ""},
		{"cidr", os.O_RDONLY, `open dictionary: expecting "type:name" form instead of "cidr"`, ""},
		{"cidr:/nonexistent", os.O_RDONLY, "", "error: open /nonexistent: No such file or directory\n"},
		{"texthash:/nonexistent", os.O_RDONLY, "", "error: open database /nonexistent: No such file or directory\n"},
		{"cdb:/nonexistent", os.O_RDONLY, "", "error: open database /nonexistent.cdb: No such file or directory\n"},
		{"cidr:" + sub, os.O_RDWR, "", "error: cidr:" + sub + " map requires O_RDONLY access mode\n"},
		{"inline:{}", os.O_RDONLY, "", "error: bad syntax: \"inline:{}\"; need \"inline:{name=value...}\"\n"},
		// A component that fails for another reason is a stand-in
		// inside the pipeline, which opens.
		{"pipemap:{inline:{a=b}, cidr:/nonexistent}", os.O_RDONLY, "", "error: open /nonexistent: No such file or directory\n"},
	}
	for _, tc := range tests {
		reg, c := testRegistry()
		reg.AllowSurrogate = true
		d, err := reg.Open(tc.spec, tc.mode, 0)
		if tc.fatal != "" {
			if e := dict.Fatal(err); e == nil || e.Msg != tc.fatal || d != nil {
				t.Errorf("%s: got %v (kind %v), want fatal %q", tc.spec, err, dict.KindOf(err), tc.fatal)
			}
		} else if err != nil || d == nil {
			t.Errorf("%s: got %v, want a stand-in", tc.spec, err)
		}
		if c.String() != tc.log {
			t.Errorf("%s: logged %q, want %q", tc.spec, c.String(), tc.log)
		}
		if d != nil {
			d.Close()
		}
	}
}

// TestCIDRDirectoryWithoutSurrogate: a registry without stand-ins (a
// command's) gets the same fatal error, and nothing is logged.
func TestCIDRDirectoryWithoutSurrogate(t *testing.T) {
	dir := t.TempDir()
	reg, c := testRegistry()
	_, err := reg.Open("cidr:"+dir, os.O_RDONLY, 0)
	if dict.KindOf(err) != dict.KindFatal || !strings.HasSuffix(err.Error(), ": read error: Is a directory") {
		t.Errorf("got %v", err)
	}
	if c.String() != "" {
		t.Errorf("logged %q", c.String())
	}
}

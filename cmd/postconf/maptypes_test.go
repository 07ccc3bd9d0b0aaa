package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopostfix/libglobal/util/msg"
)

// TestMapTypes compares the postconf -m list with the real program's
// (testdata/postconf-m-3.7.11.txt, made with Postfix 3.7.11 on Debian 12
// with postfix-cdb, -lmdb, -pcre, -mysql and -pgsql installed, whose
// dynamicmaps.cf is testdata/dynamicmaps.cf), and checks that a plug-in
// of dynamicmaps.cf.d is listed too.
func TestMapTypes(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("dynamicmaps.cf must be owned by root")
	}
	want, err := os.ReadFile("testdata/postconf-m-3.7.11.txt")
	if err != nil {
		t.Fatal(err)
	}
	meta := t.TempDir()
	src, err := os.ReadFile("testdata/dynamicmaps.cf")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(meta, "dynamicmaps.cf"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	pc := &postconf{log: msg.New()}
	if got := strings.Join(pc.mapTypes(meta), "\n") + "\n"; got != string(want) {
		t.Errorf("postconf -m:\n%s\nwant:\n%s", got, want)
	}
	os.Mkdir(filepath.Join(meta, "dynamicmaps.cf.d"), 0o755)
	os.WriteFile(filepath.Join(meta, "dynamicmaps.cf.d", "sqlite"), []byte("sqlite\tpostfix-sqlite.so\tdict_sqlite_open\n"), 0o644)
	if got := strings.Join(pc.mapTypes(meta), " "); !strings.Contains(got, "socketmap sqlite static") {
		t.Errorf("postconf -m with an sqlite plug-in: %s", got)
	}
}

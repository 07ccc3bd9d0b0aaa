package maildir

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/record"
)

// TestGolden delivers the content of a Maildir file the real local(8)
// wrote and compares bytes and the file name's form.
func TestGolden(t *testing.T) {
	want, err := os.ReadFile("testdata/maildir-1795961099.Vfe00I98c0afM677898.vm")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	sender := strings.TrimSuffix(strings.TrimPrefix(lines[0], "Return-Path: <"), ">")
	orig := strings.TrimPrefix(lines[1], "X-Original-To: ")
	delivered := strings.TrimPrefix(lines[2], "Delivered-To: ")
	src, err := os.CreateTemp(t.TempDir(), "qf")
	if err != nil {
		t.Fatal(err)
	}
	w := record.NewWriter(src, 0)
	for _, l := range lines[3:] {
		w.PutString(record.Norm, l)
	}
	w.PutString(record.Xtra, "")
	src.Seek(0, 0)

	dir := filepath.Join(t.TempDir(), "Maildir") + "/"
	start := time.Unix(1795961099, 677898000)
	stat, why := Deliver(Delivery{Dir: dir, Start: start, Hostname: "vm", PID: 4242, Delivered: true,
		Copy: mbox.CopyArgs{Sender: sender, OrigRcpt: orig, Delivered: delivered, EnableOrigRcpt: true,
			Src: src, EOL: "\n"}})
	if stat != 0 || why != nil {
		t.Fatalf("Deliver = %d %v", stat, why)
	}
	names, _ := filepath.Glob(dir + "new/*")
	if len(names) != 1 {
		t.Fatalf("new/ holds %v", names)
	}
	var st syscall.Stat_t
	syscall.Stat(names[0], &st)
	wantName := fmt.Sprintf("1795961099.V%xI%xM677898.vm", st.Dev, st.Ino)
	if filepath.Base(names[0]) != wantName {
		t.Errorf("name %s, want %s", filepath.Base(names[0]), wantName)
	}
	got, _ := os.ReadFile(names[0])
	if !bytes.Equal(got, want) {
		t.Errorf("content:\n%s\nwant:\n%s", got, want)
	}
	for _, d := range []string{"tmp", "new", "cur"} {
		fi, err := os.Stat(dir + d)
		if err != nil || fi.Mode().Perm() != 0700 {
			t.Errorf("%s: %v %v", d, fi, err)
		}
	}
	if tmp, _ := filepath.Glob(dir + "tmp/*"); len(tmp) != 0 {
		t.Errorf("tmp/ not empty: %v", tmp)
	}
	fi, _ := os.Stat(names[0])
	if fi.Mode().Perm() != 0600 {
		t.Errorf("mode %o", fi.Mode().Perm())
	}
}

func TestCannotCreate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(dir, nil, 0600) // a file where the Maildir should be
	src, _ := os.CreateTemp(t.TempDir(), "qf")
	stat, why := Deliver(Delivery{Dir: dir + "/", Start: time.Unix(1, 0), Hostname: "h", PID: 1,
		Copy: mbox.CopyArgs{Src: src, EOL: "\n"}})
	want := "create maildir file " + dir + "/tmp/1.P1.h: Not a directory"
	if stat != mbox.StatWrite || why == nil || why.Reason != want || why.Status != "5.2.0" {
		t.Errorf("got %d %+v, want %q", stat, why, want)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/msg"
)

// newQueue makes a queue directory with the given files (path: mode) and
// returns a postsuper run on it, working in that directory.
func newQueue(t *testing.T, files map[string]os.FileMode) (*super, *msg.Capture) {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	for _, q := range []string{"maildrop", "incoming", "active", "deferred", "hold", "defer", "bounce", "trace", "flush"} {
		os.Mkdir(q, 0700)
	}
	for p, m := range files {
		os.MkdirAll(filepath.Dir(p), 0700)
		os.WriteFile(p, []byte(p), m)
		os.Chmod(p, m)
	}
	var c msg.Capture
	return &super{l: queue.DefaultLayout(""), log: msg.New(&c), now: time.Now}, &c
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

func TestByID(t *testing.T) {
	s, c := newQueue(t, map[string]os.FileMode{
		"deferred/C/C577898645E": 0700, "defer/C/C577898645E": 0600, "bounce/C577898645E": 0600,
		"hold/7027A9861C6": 0700, "incoming/75B9E98626B": 0600, "maildrop/656039862B3": 0744,
	})
	cmd := &command{ops: nil}
	for _, a := range [][2]string{{"d", "C577898645E"}, {"d", "75B9E98626B"}, {"H", "7027A9861C6"}, {"e", "7027A9861C6"}, {"r", "7027A9861C6"}} {
		cmd.action |= map[string]int{"d": actDeleteOne, "H": actReleaseOne, "e": actExpireOne, "r": actRequeueOne}[a[0]]
		cmd.ops = append(cmd.ops, opt(a[0][0], a[1]))
	}
	s.run(cmd, strings.NewReader(""))
	for p, want := range map[string]bool{"deferred/C/C577898645E": false, "defer/C/C577898645E": false,
		"bounce/C577898645E": false, "incoming/75B9E98626B": true, "maildrop/7027A9861C6": true, "deferred/7/7027A9861C6": false} {
		if exists(p) != want {
			t.Errorf("%s exists: %v, want %v", p, !want, want)
		}
	}
	if fi, _ := os.Stat("maildrop/7027A9861C6"); fi == nil || fi.Mode().Perm() != 0710 {
		t.Errorf("requeued file mode: %v", fi)
	}
	want := "C577898645E: removed\n7027A9861C6: released from hold\n7027A9861C6: expired\n7027A9861C6: requeued\n" +
		"Requeued: 1 message\nDeleted: 1 message\nForce-expired: 1 message\nReleased from hold: 1 message\n"
	if c.String() != want {
		t.Errorf("log:\n%s\nwant:\n%s", c.String(), want)
	}
}

func TestStructFixesInodeNames(t *testing.T) {
	s, c := newQueue(t, map[string]os.FileMode{"deferred/X/C577898645E": 0700, "defer/C/C577898645E": 0600})
	s.run(&command{}, strings.NewReader(""))
	var ino uint64
	matches, _ := filepath.Glob("deferred/C/C5778*")
	if len(matches) != 1 {
		t.Fatalf("deferred: %v (log %q)", matches, c.String())
	}
	id := filepath.Base(matches[0])
	got, _, ok := queue.Inode(id)
	fi, _ := os.Stat(matches[0])
	ino = statIno(fi)
	if !ok || got != ino {
		t.Errorf("renamed to %s, inode %d", id, ino)
	}
	if !exists("defer/C/" + id) {
		t.Errorf("defer logfile not renamed with the message")
	}
	if !strings.Contains(c.String(), "Renamed to match inode number: 1 message\nwarning: QUEUE FILE NAMES WERE CHANGED TO MATCH INODE NUMBERS\n") {
		t.Errorf("log: %q", c.String())
	}
}

package mailstream

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/msg"
)

// TestFileAndTrigger writes a maildrop file as postdrop does and checks
// the completed file and the wakeup pickup receives.
func TestFileAndTrigger(t *testing.T) {
	dir := t.TempDir()
	l := queue.DefaultLayout(dir)
	os.Mkdir(filepath.Join(dir, "maildrop"), 0730)
	os.Mkdir(filepath.Join(dir, "public"), 0710)
	ln, err := net.Listen("unix", filepath.Join(dir, "public/pickup"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		buf := make([]byte, 8)
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, _ := c.Read(buf)
		got <- buf[:n]
		c.Close()
	}()
	var c msg.Capture
	f, err := OpenFile(l, msg.New(&c), queue.Maildrop, 0444, "public", "pickup")
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(l.Abs(f.Path)); fi.Mode().Perm() != 0644 {
		t.Errorf("mode while written: %v", fi.Mode())
	}
	f.W.PutString(record.Time, "1 2")
	f.W.PutString(record.End, "")
	if st, err := f.Finish(l, msg.New(&c), time.Second); st != StatOK {
		t.Fatalf("Finish: %d %v", st, err)
	}
	fi, _ := os.Stat(l.Abs(f.Path))
	if fi.Mode().Perm() != 0744 {
		t.Errorf("final mode %v", fi.Mode())
	}
	data, _ := os.ReadFile(l.Abs(f.Path))
	if !bytes.Equal(data, []byte("T\x031 2E\x00")) {
		t.Errorf("content %q", data)
	}
	select {
	case b := <-got:
		if string(b) != "W\x00" {
			t.Errorf("trigger sent %q", b)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no trigger")
	}
}

func TestTriggerMissing(t *testing.T) {
	var c msg.Capture
	if Trigger(queue.DefaultLayout(t.TempDir()), msg.New(&c), "public", "pickup", []byte("W"), time.Second) {
		t.Fatal("trigger to nothing succeeded")
	}
	if c.String() != "warning: unable to look up public/pickup: No such file or directory\n" {
		t.Errorf("warning %q", c.String())
	}
}

func TestStatusText(t *testing.T) {
	for st, want := range map[int]string{StatOK: "Success", StatBad: "internal protocol error",
		StatBad | StatDefer: "service unavailable", StatWrite: "queue file write error", StatNoPerm: "service denied"} {
		if got := StatusText(st); got != want {
			t.Errorf("StatusText(%d) = %q", st, got)
		}
	}
}

func TestUserACL(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte("nobody\nROOT\n"), 0644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		acl  string
		want bool
	}{
		{"static:anyone", true},
		{"static:", true},
		{"root", true},
		{"Root", true},
		{"!root, root", false},
		{"!!root", true},
		{"nobody", false},
		{"", false},
		{"inline:{nobody=x}, root", true},
		{"inline:{root=x}", true},
		{"!inline:{root=x}, root", false},
		{"inline:{nobody=x}", false},
		{users, true},
		{"!" + users + ", root", false},
		{"texthash:" + users, false}, // "ROOT" as a key is not folded by texthash
		{"static:yes, !root", true},
		{"root, static:no", true},
		{"nobody, static:no", true}, // a static table matches whatever it returns
	}
	reg := dict.NewRegistry(msg.Discard())
	stdtypes.Register(reg)
	for _, tc := range tests {
		name, ok, err := UserACL(reg, "authorized_submit_users", tc.acl, 0, msg.Discard())
		if err != nil || ok != tc.want {
			t.Errorf("UserACL(%q) = %s %v %v, want %v", tc.acl, name, ok, err, tc.want)
		}
		if !strings.HasPrefix(tc.acl, "static:") && name != "root" {
			t.Errorf("UserACL(%q): name %q", tc.acl, name)
		}
	}
	if name, ok, _ := UserACL(reg, "authorized_submit_users", "root", 2147483000, msg.Discard()); ok || name != "unknown" {
		t.Errorf("unknown uid: %s %v", name, ok)
	}
	if _, _, err := UserACL(reg, "authorized_submit_users", "!", 0, msg.Discard()); err == nil ||
		err.Error() != "authorized_submit_users: no pattern after '!'" {
		t.Errorf("bare '!': %v", err)
	}
}

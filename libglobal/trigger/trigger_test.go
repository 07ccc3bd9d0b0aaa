package trigger

import (
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestUnixTriggerAddsNUL(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "public"), 0o755)
	l, err := net.Listen("unix", filepath.Join(dir, "public", "qmgr"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		buf := make([]byte, 1024)
		n, _ := c.Read(buf)
		c.Close()
		got <- buf[:n]
	}()
	if err := Send(dir, "public", "qmgr", "D", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if b := <-got; string(b) != "D\x00" {
		t.Fatalf("server read %q, want the captured \"D\\x00\"", b)
	}
}

func TestFifoAndErrors(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "public"), 0o755)
	p := filepath.Join(dir, "public", "pickup")
	if err := syscall.Mkfifo(p, 0o622); err != nil {
		t.Fatal(err)
	}
	r, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := Send(dir, "public", "pickup", "W", time.Second); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 8)
	if n, _ := r.Read(buf); string(buf[:n]) != "W" {
		t.Fatalf("fifo read %q", buf[:n])
	}
	if err := Send(dir, "public", "none", "W", time.Second); err == nil ||
		err.Error() != "unable to look up public/none: No such file or directory" {
		t.Fatalf("missing: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "public", "file"), nil, 0o644)
	if err := Send(dir, "public", "file", "W", time.Second); err == nil ||
		err.Error() != "public/file is not a socket or a fifo" {
		t.Fatalf("plain file: %v", err)
	}
}

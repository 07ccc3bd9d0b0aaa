package fdconn

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// listenUnix makes a listening UNIX-domain socket with the given backlog
// and returns its path and descriptor.
func listenUnix(t *testing.T, backlog int) (string, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sock")
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: path}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, backlog); err != nil {
		t.Fatal(err)
	}
	return path, fd
}

// TestDialUnixNoWait checks the non-blocking mode: reads and writes wait
// in poll until their deadline, and a full listen queue fails the
// connect at once.
func TestDialUnixNoWait(t *testing.T) {
	path, lfd := listenUnix(t, 0)
	c, err := DialUnixNoWait(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if fl, _ := fcntl(c.fd, syscall.F_GETFL); fl&syscall.O_NONBLOCK == 0 {
		t.Errorf("descriptor is blocking")
	}
	// The backlog of 0 holds one connection; the next ones must fail
	// rather than wait.
	var full error
	for i := 0; i < 4 && full == nil; i++ {
		if extra, err := DialUnixNoWait(path); err != nil {
			full = err
		} else {
			defer extra.Close()
		}
	}
	if !errors.Is(full, syscall.EAGAIN) {
		t.Fatalf("connect to a full listen queue: %v, want EAGAIN", full)
	}
	srv, _, err := syscall.Accept4(lfd, syscall.SOCK_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(srv)

	buf := make([]byte, 8)
	c.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
	start := time.Now()
	if _, err := c.Read(buf); !isTimeout(err) {
		t.Fatalf("Read without input: %v, want a timeout", err)
	}
	if waited := time.Since(start); waited < 25*time.Millisecond {
		t.Errorf("Read gave up after %v, before its deadline", waited)
	}
	c.SetReadDeadline(time.Now())
	if _, err := c.Read(buf); !isTimeout(err) {
		t.Fatalf("Read with a deadline of now: %v, want a timeout", err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		syscall.Write(srv, []byte("hello"))
	}()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "hello" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	// Fill the socket buffers: the write that does not fit waits for
	// its deadline.
	big := make([]byte, 1<<20)
	c.SetWriteDeadline(time.Now().Add(30 * time.Millisecond))
	n, err := c.Write(big)
	if !isTimeout(err) || n == 0 || n == len(big) {
		t.Fatalf("Write into full buffers = %d, %v, want part and a timeout", n, err)
	}
}

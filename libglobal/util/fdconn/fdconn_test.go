package fdconn

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// pair returns a blocking Conn and the raw descriptor of its peer.
func pair(t *testing.T) (*Conn, int) {
	t.Helper()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(fds[0], "unix", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); syscall.Close(fds[1]) })
	return c, fds[1]
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) && errors.As(err, &ne) && ne.Timeout()
}

func TestReadWrite(t *testing.T) {
	c, peer := pair(t)
	if _, err := syscall.Write(peer, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "hello" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	if n, err := c.Write([]byte("world")); n != 5 || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	n, err = syscall.Read(peer, buf)
	if err != nil || string(buf[:n]) != "world" {
		t.Fatalf("peer read %q, %v", buf[:n], err)
	}
	syscall.Shutdown(peer, syscall.SHUT_WR)
	if n, err := c.Read(buf); n != 0 || err != io.EOF {
		t.Fatalf("Read at end = %d, %v, want io.EOF", n, err)
	}
}

func TestDeadlines(t *testing.T) {
	tests := []struct {
		name     string
		deadline time.Duration // from now; 0: the current time (a poll)
		min, max time.Duration
	}{
		{"poll", 0, 0, 50 * time.Millisecond},
		{"short", 60 * time.Millisecond, 55 * time.Millisecond, 2 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := pair(t)
			start := time.Now()
			c.SetReadDeadline(start.Add(tc.deadline))
			_, err := c.Read(make([]byte, 1))
			took := time.Since(start)
			if !isTimeout(err) {
				t.Fatalf("Read error %v, want a timeout", err)
			}
			if took < tc.min || took > tc.max {
				t.Errorf("timed out after %v, want %v..%v", took, tc.min, tc.max)
			}
		})
	}
}

// TestTimeoutKept checks that renewing "now + timeout" before every read
// leaves the kernel's timeout alone, and that clearing the deadline
// clears it.
func TestTimeoutKept(t *testing.T) {
	c, peer := pair(t)
	rcvtimeo := func() time.Duration {
		tv, err := getsockoptTimeval(c.fd, syscall.SO_RCVTIMEO)
		if err != nil {
			t.Fatal(err)
		}
		return time.Duration(tv.Nano())
	}
	buf := make([]byte, 1)
	read := func() {
		syscall.Write(peer, []byte("x"))
		if _, err := c.Read(buf); err != nil {
			t.Fatal(err)
		}
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	read()
	first := rcvtimeo()
	if first < 9*time.Second || first > 10*time.Second {
		t.Fatalf("SO_RCVTIMEO %v after a 10s deadline", first)
	}
	time.Sleep(20 * time.Millisecond)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	read()
	if got := rcvtimeo(); got != first {
		t.Errorf("SO_RCVTIMEO rewritten: %v, then %v", first, got)
	}
	c.SetReadDeadline(time.Time{})
	read()
	if got := rcvtimeo(); got != 0 {
		t.Errorf("SO_RCVTIMEO %v without a deadline, want 0", got)
	}
}

func TestWriteClosedPeer(t *testing.T) {
	c, peer := pair(t)
	syscall.Close(peer)
	_, err := c.Write([]byte("data"))
	if !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("Write to a closed peer: %v, want EPIPE", err)
	}
}

func TestClosed(t *testing.T) {
	c, _ := pair(t)
	c.Close()
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Read after Close: %v", err)
	}
	if _, err := c.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write after Close: %v", err)
	}
}

func TestAcceptDialUnix(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	lf, err := l.(*net.UnixListener).File()
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	lfd := int(lf.Fd())
	syscall.SetNonblock(lfd, true) // as master leaves it

	if _, err := Accept(lfd, 50*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Accept without a client: %v, want a timeout", err)
	}
	client, err := DialUnix(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, err := Accept(lfd, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	if fl, _ := fcntl(server.fd, syscall.F_GETFL); fl&syscall.O_NONBLOCK != 0 {
		t.Errorf("accepted descriptor is non-blocking")
	}
	if _, ok := server.LocalAddr().(*net.UnixAddr); !ok {
		t.Errorf("LocalAddr %T, want *net.UnixAddr", server.LocalAddr())
	}
	client.Write([]byte("ping"))
	buf := make([]byte, 8)
	if n, err := server.Read(buf); err != nil || string(buf[:n]) != "ping" {
		t.Fatalf("server read %q, %v", buf[:n], err)
	}
	if _, err := DialUnix(filepath.Join(t.TempDir(), "missing"), time.Second); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("DialUnix to a missing socket: %v", err)
	}
}

func TestAcceptTCP(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.0.1:23991")
	if err != nil {
		t.Skipf("port 23991: %v", err)
	}
	defer l.Close()
	lf, _ := l.(*net.TCPListener).File()
	defer lf.Close()
	done := make(chan net.Conn, 1)
	go func() {
		c, err := net.Dial("tcp4", "127.0.0.1:23991")
		if err != nil {
			t.Error(err)
		}
		done <- c
	}()
	server, err := Accept(int(lf.Fd()), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	client := <-done
	defer client.Close()
	la, ok1 := server.LocalAddr().(*net.TCPAddr)
	ra, ok2 := server.RemoteAddr().(*net.TCPAddr)
	if !ok1 || !ok2 || la.Port != 23991 || ra.String() != client.LocalAddr().String() {
		t.Errorf("addresses %v %v, client %v", server.LocalAddr(), server.RemoteAddr(), client.LocalAddr())
	}
}

func TestWaitReadable(t *testing.T) {
	c, peer := pair(t)
	go func() {
		time.Sleep(20 * time.Millisecond)
		syscall.Close(peer)
	}()
	if err := WaitReadable(c.fd); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("after the peer closed: %v, want io.EOF", err)
	}
}

func TestDialUnixgram(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dgram")
	srv, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := DialUnixgram(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, m := range []string{"one record", "two"} {
		if _, err := c.Write([]byte(m)); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 64)
		srv.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := srv.Read(buf)
		if err != nil || string(buf[:n]) != m {
			t.Fatalf("got %q, %v; want %q", buf[:n], err, m)
		}
	}
	if _, err := DialUnixgram(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Fatal("connect to a missing socket succeeded")
	}
}

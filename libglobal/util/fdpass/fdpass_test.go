package fdpass

import (
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func pair(t *testing.T) (*net.UnixConn, *net.UnixConn) {
	t.Helper()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	conv := func(fd int) *net.UnixConn {
		f := os.NewFile(uintptr(fd), "sock")
		defer f.Close()
		c, err := net.FileConn(f)
		if err != nil {
			t.Fatal(err)
		}
		return c.(*net.UnixConn)
	}
	a, b := conv(fds[0]), conv(fds[1])
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

func TestSendRecv(t *testing.T) {
	a, b := pair(t)
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("passed"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := Send(a, int(f.Fd())); err != nil {
		t.Fatal(err)
	}
	fd, err := Recv(b)
	if err != nil {
		t.Fatal(err)
	}
	g := os.NewFile(uintptr(fd), "received")
	defer g.Close()
	buf := make([]byte, 16)
	n, _ := g.Read(buf)
	if string(buf[:n]) != "passed" {
		t.Fatalf("read %q through the passed descriptor", buf[:n])
	}
}

func TestRecvWithoutDescriptor(t *testing.T) {
	a, b := pair(t)
	if _, err := a.Write([]byte{0}); err != nil {
		t.Fatal(err)
	}
	if _, err := Recv(b); err == nil {
		t.Fatal("Recv accepted a message without a descriptor")
	}
	a.Close()
	if _, err := Recv(b); err == nil {
		t.Fatal("Recv accepted end-of-input")
	}
}

// TestRecvSyscall receives on a socket that is only a syscall.Conn (an
// *os.File here, a blocking fdconn.Conn in the daemons).
func TestRecvSyscall(t *testing.T) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	sender := os.NewFile(uintptr(fds[0]), "sender")
	c, err := net.FileConn(sender)
	sender.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	recv := os.NewFile(uintptr(fds[1]), "receiver")
	defer recv.Close()
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("passed"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := Send(c.(*net.UnixConn), int(f.Fd())); err != nil {
		t.Fatal(err)
	}
	fd, err := RecvSyscall(recv)
	if err != nil {
		t.Fatal(err)
	}
	g := os.NewFile(uintptr(fd), "received")
	defer g.Close()
	buf := make([]byte, 16)
	if n, _ := g.Read(buf); string(buf[:n]) != "passed" {
		t.Fatalf("read %q through the passed descriptor", buf[:n])
	}
	c.Close()
	if _, err := RecvSyscall(recv); err == nil {
		t.Fatal("RecvSyscall accepted end-of-input")
	}
}

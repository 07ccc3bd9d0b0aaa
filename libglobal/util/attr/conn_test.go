package attr

import (
	"bytes"
	"errors"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder keeps the bytes a Conn wrote, to compare with captures.
type recorder struct {
	net.Conn
	mu  sync.Mutex
	out bytes.Buffer
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	r.out.Write(p)
	r.mu.Unlock()
	return r.Conn.Write(p)
}

func unixPair(t *testing.T) (*net.UnixConn, *net.UnixConn) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "s")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ch := make(chan net.Conn, 1)
	go func() {
		c, _ := l.Accept()
		ch <- c
	}()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	s := <-ch
	t.Cleanup(func() { c.Close(); s.Close() })
	return c.(*net.UnixConn), s.(*net.UnixConn)
}

// TestScacheDescriptorPassing replays the captured scache save_endp and
// find_dest exchanges with the dummy handshake on both sides and compares
// the attribute bytes each side wrote with the capture.
func TestScacheDescriptorPassing(t *testing.T) {
	cu, su := unixPair(t)
	crec, srec := &recorder{Conn: cu}, &recorder{Conn: su}
	client := NewConn(crec, Format0, "private/scache", 5*time.Second)
	server := NewConn(srec, Format0, "scache socket", 5*time.Second)
	client.c, server.c = cu, su // descriptor passing needs the real sockets
	client.W = NewWriter(deadlineIO{&Conn{c: crec, Timeout: client.Timeout}}, Format0)
	server.W = NewWriter(deadlineIO{&Conn{c: srec, Timeout: server.Timeout}}, Format0)

	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	errc := make(chan error, 1)
	go func() {
		// Server side.
		var req, label, prop, label2 string
		var ttl int
		if err := server.Announce(ProtoScache); err != nil {
			errc <- err
			return
		}
		if _, err := server.Scan(Strict, RecvStr("request", &req), RecvInt("ttl", &ttl),
			RecvStr("label", &label), RecvStr("property", &prop)); err != nil {
			errc <- err
			return
		}
		fd, err := server.RecvFd()
		if err != nil {
			errc <- err
			return
		}
		server.Print(Int("status", 0))
		server.Scan(Strict, RecvStr("request", &req), RecvInt("ttl", &ttl), RecvStr("label", &label),
			RecvStr("property", &prop), RecvStr("label", &label2))
		server.Print(Int("status", 0))
		server.Scan(Strict, RecvStr("request", &req), RecvStr("label", &label))
		server.Print(Int("status", 0), Str("property", "prop-dest"), Str("property", "prop-endp"))
		if err := server.SendFd(fd); err != nil {
			errc <- err
			return
		}
		errc <- server.ReadDummy()
	}()

	if err := client.ReadAnnouncement(ProtoScache); err != nil {
		t.Fatal(err)
	}
	client.Print(Str("request", "save_endp"), Int("ttl", 30), Str("label", "smtp:127.0.0.1:25"),
		Str("property", "prop-endp"))
	if err := client.SendFd(int(f.Fd())); err != nil {
		t.Fatal(err)
	}
	var status int
	if _, err := client.Scan(Strict, RecvInt("status", &status)); err != nil || status != 0 {
		t.Fatalf("save_endp status %d %v", status, err)
	}
	client.Print(Str("request", "save_dest"), Int("ttl", 30), Str("label", "smtp:example.com"),
		Str("property", "prop-dest"), Str("label", "smtp:127.0.0.1:25"))
	client.Scan(Strict, RecvInt("status", &status))
	client.Print(Str("request", "find_dest"), Str("label", "smtp:example.com"))
	var dprop, eprop string
	if _, err := client.Scan(Strict, RecvInt("status", &status), RecvStr("property", &dprop),
		RecvStr("property", &eprop)); err != nil || dprop != "prop-dest" || eprop != "prop-endp" {
		t.Fatalf("find_dest: %v %q %q", err, dprop, eprop)
	}
	fd, err := client.RecvFd()
	if err != nil {
		t.Fatal(err)
	}
	os.NewFile(uintptr(fd), "passed").Close()
	if err := client.WriteDummy(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}

	var wantC, wantS []byte
	chunks := loadCapture(t, "scache.txt")
	for _, c := range chunks[:12] {
		if c.fd {
			continue
		}
		if c.dir == "C>S" {
			wantC = append(wantC, c.data...)
		} else {
			wantS = append(wantS, c.data...)
		}
	}
	if !bytes.Equal(crec.out.Bytes(), wantC) {
		t.Errorf("client wrote\n%q\nwant\n%q", crec.out.Bytes(), wantC)
	}
	if !bytes.Equal(srec.out.Bytes(), wantS) {
		t.Errorf("server wrote\n%q\nwant\n%q", srec.out.Bytes(), wantS)
	}
}

func TestTimeout(t *testing.T) {
	cu, _ := unixPair(t)
	c := NewConn(cu, Format0, "private/slow", 50*time.Millisecond)
	start := time.Now()
	var s string
	_, err := c.Scan(Strict, RecvStr("a", &s))
	if !errors.Is(err, ErrTimeout) || err.Error() != "timeout on private/slow while reading input attribute name" {
		t.Fatalf("err=%v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("timeout took too long")
	}
}

// echoServer answers each "request=x" with "status=0, echo=x", after its
// announcement; it closes each connection after maxReq requests.
func echoServer(t *testing.T, maxReq int) (string, *atomic.Int32) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "echo")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	conns := new(atomic.Int32)
	go func() {
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func(nc net.Conn) {
				defer nc.Close()
				c := NewConn(nc, Format0, "echo socket", 5*time.Second)
				c.Announce("echo_protocol")
				for i := 0; i < maxReq; i++ {
					var req string
					if _, err := c.Scan(Strict, RecvStr("request", &req)); err != nil {
						return
					}
					c.Print(Int("status", 0), Str("echo", req))
				}
			}(nc)
		}
	}()
	return path, conns
}

func TestClientReconnects(t *testing.T) {
	path, conns := echoServer(t, 1)
	cl := NewClient(path, "private/echo", "echo_protocol", Format0, nil)
	cl.sleeper = func(time.Duration) {}
	defer cl.Close()
	for _, want := range []string{"one", "two", "three"} {
		var status int
		var echo string
		n, err := cl.Request([]Attr{Str("request", want)}, Strict, RecvInt("status", &status),
			RecvStr("echo", &echo))
		if err != nil || n != 2 || echo != want {
			t.Fatalf("%s: n=%d err=%v echo=%q", want, n, err, echo)
		}
	}
	if conns.Load() != 3 {
		t.Fatalf("%d connections, want 3 (one per request, the server hangs up)", conns.Load())
	}
}

func TestClientKeepsConnection(t *testing.T) {
	path, conns := echoServer(t, 100)
	cl := NewClient(path, "private/echo", "echo_protocol", Format0, nil)
	defer cl.Close()
	for i := 0; i < 5; i++ {
		var status int
		if _, err := cl.Request([]Attr{Str("request", "x")}, Strict, RecvInt("status", &status),
			RecvStr("echo", new(string))); err != nil {
			t.Fatal(err)
		}
	}
	if conns.Load() != 1 {
		t.Fatalf("%d connections, want 1", conns.Load())
	}
}

func TestClientGivesUp(t *testing.T) {
	cl := NewClient(filepath.Join(t.TempDir(), "none"), "private/none", "x", Format0, nil)
	cl.sleeper = func(time.Duration) {}
	var s int
	n, err := cl.Request([]Attr{Str("request", "x")}, Strict, RecvInt("status", &s))
	if n != -1 || err == nil {
		t.Fatalf("n=%d err=%v", n, err)
	}
}

func TestCall(t *testing.T) {
	path, _ := echoServer(t, 1)
	var status int
	var echo string
	n, err := Call(path, "echo_protocol", Format0, time.Second, []Attr{Str("request", "hi")}, Strict,
		RecvInt("status", &status), RecvStr("echo", &echo))
	if err != nil || n != 2 || echo != "hi" {
		t.Fatalf("n=%d err=%v echo=%q", n, err, echo)
	}
	_, err = Call(path, "wrong_protocol", Format0, time.Second, nil, Strict)
	if !errors.Is(err, ErrMismatch) {
		t.Fatalf("wrong protocol accepted: %v", err)
	}
}

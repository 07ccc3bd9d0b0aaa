package scache

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"gopostfix/libglobal/util/fdpass"
	"gopostfix/libglobal/util/msg"
)

// Records of the captured 3.7.11 conversation (protocol-captures/scache.txt).
var (
	capAnnounce = "protocol\x00connection_cache_protocol\x00\x00"
	capSaveEndp = "request\x00save_endp\x00ttl\x0030\x00label\x00smtp:127.0.0.1:25\x00property\x00prop-endp\x00\x00"
	capSaveDest = "request\x00save_dest\x00ttl\x0030\x00label\x00smtp:example.com\x00property\x00prop-dest\x00label\x00smtp:127.0.0.1:25\x00\x00"
	capFindDest = "request\x00find_dest\x00label\x00smtp:example.com\x00\x00"
	capFindEndp = "request\x00find_endp\x00label\x00smtp:nonexistent\x00\x00"
	capDummy    = "dummy\x00\x00\x00"
	capOK       = "status\x000\x00\x00"
	capFound    = "status\x000\x00property\x00prop-dest\x00property\x00prop-endp\x00\x00"
	capMiss     = "status\x002\x00property\x00\x00\x00"
)

// fakeServer plays the captured server side and reports mismatches.
func fakeServer(t *testing.T, l net.Listener, errs chan<- string) {
	c, err := l.Accept()
	if err != nil {
		errs <- err.Error()
		return
	}
	u := c.(*net.UnixConn)
	defer u.Close()
	u.SetDeadline(time.Now().Add(10 * time.Second))
	expect := func(want string) {
		got := make([]byte, len(want))
		if _, err := readFull(u, got); err != nil || string(got) != want {
			errs <- "got " + string(got) + " want " + want
		}
	}
	u.Write([]byte(capAnnounce))
	expect(capSaveEndp)
	u.Write([]byte(capDummy))
	fd, err := fdpass.Recv(u)
	if err != nil {
		errs <- err.Error()
		return
	}
	u.Write([]byte(capOK))
	expect(capSaveDest)
	u.Write([]byte(capOK))
	expect(capFindDest)
	u.Write([]byte(capFound))
	expect(capDummy)
	fdpass.Send(u, fd)
	syscall.Close(fd)
	expect(capDummy)
	expect(capFindEndp)
	u.Write([]byte(capMiss))
	errs <- ""
}

func readFull(c net.Conn, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := c.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// listen makes a queue directory with a listening private/scache,
// closed when the test ends.
func listen(t *testing.T) (string, net.Listener) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "private"), 0o755)
	l, err := net.Listen("unix", filepath.Join(dir, "private", "scache"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return dir, l
}

// testLog is a logger named "test" that writes into a buffer.
func testLog() (*msg.Logger, *strings.Builder) {
	logged := &strings.Builder{}
	log := msg.New()
	log.SetSinks(msg.NewWriterSink("test", logged))
	return log, logged
}

func TestClientCapture(t *testing.T) {
	dir, l := listen(t)
	errs := make(chan string, 1)
	go fakeServer(t, l, errs)
	log, logged := testLog()
	c := New("scache", 5*time.Second, log)
	c.QueueDir = dir
	defer c.Close()
	fds, _ := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	defer syscall.Close(fds[1])
	if err := c.SaveEndp(30*time.Second, "smtp:127.0.0.1:25", "prop-endp", os.NewFile(uintptr(fds[0]), "saved")); err != nil {
		t.Fatalf("save_endp: %v", err)
	}
	if err := c.SaveDest(30*time.Second, "smtp:example.com", "prop-dest", "smtp:127.0.0.1:25"); err != nil {
		t.Fatalf("save_dest: %v", err)
	}
	dp, ep, f, err := c.FindDest("smtp:example.com")
	if err != nil || dp != "prop-dest" || ep != "prop-endp" {
		t.Fatalf("find_dest: %q %q %v", dp, ep, err)
	}
	f.Write([]byte("x"))
	f.Close()
	buf := make([]byte, 1)
	if n, _ := syscall.Read(fds[1], buf); n != 1 || buf[0] != 'x' {
		t.Errorf("the descriptor handed back is not the one saved")
	}
	if prop, f, err := c.FindEndp("smtp:nonexistent"); err != ErrNotFound || f != nil || prop != "" {
		t.Errorf("find_endp miss: %q %v %v", prop, f, err)
	}
	if e := <-errs; e != "" {
		t.Error(e)
	}
	if logged.Len() > 0 {
		t.Errorf("log: %s", logged.String())
	}
}

// TestClientDisables: without a server every request is a miss; after the
// second failed try the client warns once that caching is disabled and
// stops trying.
func TestClientDisables(t *testing.T) {
	log, logged := testLog()
	c := New("scache", time.Second, log)
	c.QueueDir, c.TryDelay = t.TempDir(), time.Millisecond
	if _, f, err := c.FindEndp("x"); f != nil || err == nil || err == ErrNotFound {
		t.Errorf("find_endp: %v %v", f, err)
	}
	if _, _, f, err := c.FindDest("x"); f != nil || err == nil || err == ErrNotFound {
		t.Errorf("find_dest: %v %v", f, err)
	}
	want := "test: warning: connect to private/scache: No such file or directory\n" +
		"test: warning: connect to private/scache: No such file or directory\n" +
		"test: warning: disabling connection caching\n"
	if logged.String() != want {
		t.Errorf("log %q, want %q", logged.String(), want)
	}
}

// misbehave serves private/scache in a way that breaks every exchange:
// "mute" closes at once, "hangup" reads one request and closes,
// "garbage" answers with an unexpected attribute, "truncated" breaks
// off in mid-reply, "silent" never answers.
func misbehave(l net.Listener, mode string) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			if mode == "mute" {
				return
			}
			c.Write([]byte(capAnnounce))
			c.SetDeadline(time.Now().Add(5 * time.Second))
			var last byte = 1
			b := make([]byte, 1)
			for {
				if _, err := c.Read(b); err != nil {
					return
				}
				if b[0] == 0 && last == 0 {
					break
				}
				last = b[0]
			}
			switch mode {
			case "garbage":
				c.Write([]byte("bogus\x00x\x00\x00"))
			case "truncated":
				c.Write([]byte("status\x00"))
			case "silent":
				c.Read(b)
			}
		}()
	}
}

// TestClientWarnings: the warnings of scache_clnt.c for each way an
// exchange fails, before the client gives up.
func TestClientWarnings(t *testing.T) {
	const disabling = "test: warning: disabling connection caching\n"
	tests := []struct {
		mode, request, want string
	}{
		{"mute", "find_dest", disabling},
		{"hangup", "find_dest", strings.Repeat("test: warning: problem talking to service private/scache: Application error\n", 2) + disabling},
		{"hangup", "save_dest", strings.Repeat("test: warning: problem talking to service private/scache: Application error\n", 2) + disabling},
		// save_endp keeps quiet without an errno, except on its
		// second exchange.
		{"hangup", "save_endp", "test: warning: problem talking to service private/scache: Application error\n" + disabling},
		{"garbage", "find_endp", strings.Repeat("test: warning: unexpected attribute bogus from private/scache (expecting: status)\n"+
			"test: warning: problem talking to service private/scache: Application error\n", 2) + disabling},
		{"truncated", "find_dest", strings.Repeat("test: warning: premature end-of-input on private/scache while reading input attribute value\n"+
			"test: warning: problem talking to service private/scache: Application error\n", 2) + disabling},
		{"silent", "find_dest", strings.Repeat("test: warning: problem talking to service private/scache: Connection timed out\n", 2) + disabling},
		{"silent", "save_endp", "test: warning: problem talking to service private/scache: Connection timed out\n" +
			"test: warning: problem talking to service private/scache: Connection timed out\n" + disabling},
	}
	for _, tc := range tests {
		t.Run(tc.mode+"/"+tc.request, func(t *testing.T) {
			dir, l := listen(t)
			go misbehave(l, tc.mode)
			log, logged := testLog()
			c := New("scache", 200*time.Millisecond, log)
			c.QueueDir, c.TryDelay = dir, time.Millisecond
			defer c.Close()
			var err2 error
			switch tc.request {
			case "find_dest":
				_, _, _, err2 = c.FindDest("smtp:example.com")
			case "find_endp":
				_, _, err2 = c.FindEndp("smtp:127.0.0.1:25")
			case "save_dest":
				err2 = c.SaveDest(30*time.Second, "smtp:example.com", "prop-dest", "smtp:127.0.0.1:25")
			case "save_endp":
				fds, _ := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
				defer syscall.Close(fds[1])
				err2 = c.SaveEndp(30*time.Second, "smtp:127.0.0.1:25", "prop-endp", os.NewFile(uintptr(fds[0]), "saved"))
			}
			if err2 == nil || err2 == ErrNotFound {
				t.Errorf("%s: %v, want a failure", tc.request, err2)
			}
			if logged.String() != tc.want {
				t.Errorf("log:\n%s\nwant:\n%s", logged.String(), tc.want)
			}
			// Given up for good: no more attempts, no more warnings.
			before := logged.Len()
			c.FindDest("smtp:example.com")
			if logged.Len() != before {
				t.Errorf("after giving up: %s", logged.String()[before:])
			}
		})
	}
}

// missServer answers every find_endp with "not found", on as many
// connections as come; with hangup it closes each connection after its
// first answer. It counts the connections.
func missServer(l net.Listener, hangup bool, conns *atomic.Int32) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		conns.Add(1)
		go func() {
			defer c.Close()
			c.Write([]byte(capAnnounce))
			c.SetDeadline(time.Now().Add(5 * time.Second))
			want := make([]byte, len("request\x00find_endp\x00label\x00x\x00\x00"))
			for {
				if _, err := readFull(c, want); err != nil {
					return
				}
				c.Write([]byte(capMiss))
				if hangup {
					return
				}
			}
		}()
	}
}

// TestClientIdle: Idle, called between deliveries, drops a connection
// the server closed or one idle for MaxIdle, so that the next request
// goes quietly to a new connection; without it the request meets the
// dead connection, as Postfix's does in mid-delivery.
func TestClientIdle(t *testing.T) {
	tests := []struct {
		name         string
		hangup, idle bool
		maxIdle      time.Duration
		conns        int32
		slow         bool // the second request waited TryDelay
	}{
		{"hung up, Idle", true, true, time.Hour, 2, false},
		{"hung up, no Idle", true, false, time.Hour, 2, true},
		{"idle limit", false, true, 10 * time.Millisecond, 2, false},
		{"within idle limit", false, true, time.Hour, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, l := listen(t)
			var conns atomic.Int32
			go missServer(l, tc.hangup, &conns)
			log, logged := testLog()
			c := New("scache", time.Second, log)
			c.QueueDir, c.TryDelay, c.MaxIdle = dir, 300*time.Millisecond, tc.maxIdle
			defer c.Close()
			if _, _, err := c.FindEndp("x"); err != ErrNotFound {
				t.Fatalf("first find_endp: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
			if tc.idle {
				c.Idle()
			}
			start := time.Now()
			if _, _, err := c.FindEndp("x"); err != ErrNotFound {
				t.Fatalf("second find_endp: %v", err)
			}
			if slow := time.Since(start) >= c.TryDelay; slow != tc.slow {
				t.Errorf("second request waited %v", time.Since(start))
			}
			if n := conns.Load(); n != tc.conns {
				t.Errorf("%d connections, want %d", n, tc.conns)
			}
			if logged.Len() > 0 {
				t.Errorf("log: %s", logged.String())
			}
		})
	}
}

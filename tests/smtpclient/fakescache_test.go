package smtpclient

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gopostfix/libglobal/util/fdpass"
)

// fakeScache is a misbehaving connection cache server on a UNIX socket,
// speaking scache(8)'s attribute protocol only as far as its mode
// says, and noting per connection what the client sent.
//
// Modes: "mute" closes every connection at once (no announcement);
// "hangup" announces, reads one request and closes; "garbage" answers
// every request with an unexpected attribute; "truncated" sends half an
// attribute and closes; "silent" never answers;
// "oneshot" answers one request properly (nothing found, saves
// accepted, descriptors taken and closed) and closes the connection as
// soon as the next request arrives, unread, so that the client finds
// the connection reset; "vanish" answers properly until vanish is
// called, which closes every connection and removes the socket, as
// when the service is stopped for good; "vanishidle" is the same,
// stopped between two deliveries.
type fakeScache struct {
	mode  string
	l     net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns [][]string
	open  map[net.Conn]bool
}

func newFakeScache(t *testing.T, path, mode string) *fakeScache {
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0666)
	f := &fakeScache{mode: mode, l: l, open: map[net.Conn]bool{}}
	f.wg.Add(1)
	go f.serve()
	t.Cleanup(f.close)
	return f
}

func (f *fakeScache) serve() {
	defer f.wg.Done()
	for {
		c, err := f.l.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		f.open[c] = true
		f.mu.Unlock()
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			defer c.Close()
			c.SetDeadline(time.Now().Add(30 * time.Second))
			log := f.session(c.(*net.UnixConn))
			f.mu.Lock()
			f.conns = append(f.conns, log)
			delete(f.open, c)
			f.mu.Unlock()
		}()
	}
}

func (f *fakeScache) close() {
	f.l.Close()
	f.wg.Wait()
}

// vanish closes the listener (removing the socket) and every open
// connection.
func (f *fakeScache) vanish() {
	f.l.Close()
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.open {
		c.Close()
	}
}

// transcript is every connection's requests, one line per connection,
// in the order the connections ended.
func (f *fakeScache) transcript() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var b strings.Builder
	for _, c := range f.conns {
		b.WriteString(strings.Join(c, " | ") + "\n")
	}
	return b.String()
}

const (
	scacheAnnounce = "protocol\x00connection_cache_protocol\x00\x00"
	scacheDummy    = "dummy\x00\x00\x00"
)

// session plays one connection in the server's mode.
func (f *fakeScache) session(c *net.UnixConn) []string {
	log := []string{"connect"}
	if f.mode == "mute" {
		return log
	}
	c.Write([]byte(scacheAnnounce))
	r := bufio.NewReader(c)
	for {
		req, err := readRecord0(r)
		if err != nil {
			return append(log, "client closed")
		}
		name := req["request"]
		log = append(log, name)
		switch f.mode {
		case "hangup":
			return log
		case "garbage":
			c.Write([]byte("bogus\x00x\x00\x00"))
			continue
		case "truncated":
			c.Write([]byte("status\x00"))
			return log
		case "silent":
			continue
		}
		switch name {
		case "find_dest":
			c.Write([]byte("status\x002\x00property\x00\x00property\x00\x00\x00"))
		case "find_endp":
			c.Write([]byte("status\x002\x00property\x00\x00\x00"))
		case "save_dest":
			c.Write([]byte("status\x000\x00\x00"))
		case "save_endp":
			c.Write([]byte(scacheDummy))
			fd, err := fdpass.Recv(c)
			if err != nil {
				return append(log, "no descriptor")
			}
			syscall.Close(fd)
			c.Write([]byte("status\x000\x00\x00"))
		default:
			c.Write([]byte("status\x001\x00\x00"))
		}
		if strings.HasPrefix(f.mode, "vanish") {
			continue
		}
		waitRequest(c)
		return log
	}
}

// waitRequest waits until the client sends more (or closes), without
// reading it.
func waitRequest(c *net.UnixConn) {
	rc, err := c.SyscallConn()
	if err != nil {
		return
	}
	buf := make([]byte, 1)
	rc.Read(func(fd uintptr) bool {
		_, _, err := syscall.Recvfrom(int(fd), buf, syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return err != syscall.EAGAIN
	})
}

// readRecord0 reads one attribute record in Postfix's null-terminated
// format (name, value, ..., empty name).
func readRecord0(r *bufio.Reader) (map[string]string, error) {
	rec := map[string]string{}
	for {
		name, err := r.ReadString(0)
		if err != nil {
			return nil, err
		}
		if name == "\x00" {
			return rec, nil
		}
		value, err := r.ReadString(0)
		if err != nil {
			return nil, err
		}
		if _, dup := rec[name[:len(name)-1]]; !dup {
			rec[name[:len(name)-1]] = value[:len(value)-1]
		}
	}
}

// fakeModes are the fake scache modes the broken-cache test runs.
var fakeModes = []string{"mute", "hangup", "garbage", "truncated", "silent", "oneshot", "vanish", "vanishidle"}

func fakeService(mode string) string { return "fake" + mode }

// fakeLMTP is the lmtp service, which talks to the "hangup" server.
const fakeLMTP = "fakelmtp"

// fakeMasterCF has one smtp service per fake scache mode, each talking
// to its own fake server with a 1-second protocol time limit, and an
// lmtp service for the "hangup" mode.
func fakeMasterCF() string {
	var b strings.Builder
	line := func(service, program, mode string) {
		fmt.Fprintf(&b, "%-10s unix  -       -       n       -       1       %s -o connection_cache_service_name=cache%s -o connection_cache_protocol_timeout=1s\n",
			service, program, mode)
	}
	for _, m := range fakeModes {
		line(fakeService(m), "smtp", m)
	}
	line(fakeLMTP, "lmtp", "hangup")
	return b.String()
}

package maps

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// fakeProxymap listens on private/NAME and answers every request the way
// proxymap does for an approved table (open: status 0 with the flags of a
// hash table; lookup: the key's value from answers or status 1; delete:
// status 0), recording the bytes each connection sent.
type fakeProxymap struct {
	l       net.Listener
	answers map[string]string
	mu      sync.Mutex
	got     []string
}

func newFakeProxymap(t *testing.T, path string, answers map[string]string) *fakeProxymap {
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeProxymap{l: l, answers: answers}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

func rec(pairs ...string) []byte {
	var b bytes.Buffer
	for _, p := range pairs {
		b.WriteString(p)
		b.WriteByte(0)
	}
	b.WriteByte(0)
	return b.Bytes()
}

// serve answers one connection, record by record.
func (f *fakeProxymap) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	c.Write(rec("protocol", "proxymap_protocol"))
	var all bytes.Buffer
	defer func() {
		f.mu.Lock()
		f.got = append(f.got, all.String())
		f.mu.Unlock()
	}()
	var fields []string
	var cur bytes.Buffer
	buf := make([]byte, 1)
	for {
		if _, err := io.ReadFull(c, buf); err != nil {
			return
		}
		all.WriteByte(buf[0])
		if buf[0] != 0 {
			cur.WriteByte(buf[0])
			continue
		}
		if cur.Len() > 0 || len(fields)%2 == 1 {
			fields = append(fields, cur.String())
			cur.Reset()
			continue
		}
		// End of record: fields are name, value, name, value...
		attrs := map[string]string{}
		for i := 0; i+1 < len(fields); i += 2 {
			attrs[fields[i]] = fields[i+1]
		}
		fields = nil
		switch attrs["request"] {
		case "open":
			c.Write(rec("status", "0", "flags", "28"))
		case "lookup":
			if v, ok := f.answers[attrs["key"]]; ok {
				c.Write(rec("status", "0", "value", v))
			} else {
				c.Write(rec("status", "1", "value", ""))
			}
		default:
			c.Write(rec("status", "0"))
		}
	}
}

// TestProxyWire records the bytes the real postmap and ours send to
// proxymap and proxywrite for the same commands and requires them to be
// identical: the 3.7 request format, the instance and request flags of
// each option (-f, -N, -n, -r, -w, -u), and one request per key.
func TestProxyWire(t *testing.T) {
	instance.RequireRealPostfix(t)
	ours := progs.Path(t, "postmap")
	commands := []struct{ stdin, args string }{
		{"", "-q key1 proxy:hash:/etc/postfix-test/tbl"},
		{"", "-f -q KEY1 proxy:hash:/etc/postfix-test/tbl"},
		{"", "-N -q key1 proxy:btree:/etc/postfix-test/tbl"},
		{"", "-n -u -q key1 proxy:cdb:/etc/postfix-test/tbl"},
		{"key1\nnokey\n", "-q - proxy:hash:/etc/postfix-test/tbl proxy:lmdb:/x"},
		{"", "-d key1 proxy:hash:/etc/postfix-test/wtbl"},
		{"", "-r -w -d key1 proxy:hash:/etc/postfix-test/wtbl"},
		{"a\nb\n", "-d - proxy:hash:/etc/postfix-test/wtbl"},
	}
	for _, cmd := range commands {
		var got [2]string
		var out [2]result
		for i, prog := range []string{realPostmap, ours} {
			root := t.TempDir()
			private := filepath.Join(root, "q", "private")
			os.MkdirAll(private, 0o755)
			read := newFakeProxymap(t, private+"/proxymap", map[string]string{"key1": "value1"})
			write := newFakeProxymap(t, private+"/proxywrite", nil)
			cf := configDir(t, "queue_directory = "+root+"/q\n")
			out[i] = run(t, 20*time.Second, cmd.stdin, prog, append([]string{"-c", cf}, strings.Fields(cmd.args)...)...)
			read.l.Close()
			write.l.Close()
			time.Sleep(50 * time.Millisecond) // let the servers record the last bytes
			read.mu.Lock()
			write.mu.Lock()
			got[i] = strings.Join(read.got, "|") + " || " + strings.Join(write.got, "|")
			write.mu.Unlock()
			read.mu.Unlock()
		}
		if !strings.Contains(got[0], "request\x00") {
			t.Errorf("postmap %s: the fake proxymap recorded no request: %q", cmd.args, got[0])
		}
		if got[0] != got[1] {
			t.Errorf("postmap %s: requests differ\nreal %q\nours %q", cmd.args, got[0], got[1])
		}
		if out[0].stdout != out[1].stdout || out[0].stderr != out[1].stderr || out[0].status != out[1].status {
			t.Errorf("postmap %s: results differ\nreal %v\nours %v", cmd.args, out[0], out[1])
		}
	}
}

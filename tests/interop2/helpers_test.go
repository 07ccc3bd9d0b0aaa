package interop2

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// masterCF is the instance's master.cf: postlogd for the log, plus the
// services under test.
const masterCF = "postlog   unix-dgram n  -       n       -       1       postlogd\n"

// rec builds one null-terminated attribute record from name, value pairs.
func rec(pairs ...string) []byte {
	var b bytes.Buffer
	for _, p := range pairs {
		b.WriteString(p)
		b.WriteByte(0)
	}
	b.WriteByte(0)
	return b.Bytes()
}

// readAll reads what the server sends until it closes or is quiet for
// quiet (at most limit in all).
func readAll(c net.Conn, quiet, limit time.Duration) []byte {
	var out []byte
	buf := make([]byte, 4096)
	end := time.Now().Add(limit)
	for time.Now().Before(end) {
		wait := quiet
		if len(out) == 0 {
			wait = time.Until(end)
		}
		c.SetReadDeadline(time.Now().Add(wait))
		n, err := c.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			break
		}
	}
	return out
}

// oneShot connects to path, sends req (nil: nothing) and returns all the
// server wrote.
func oneShot(t *testing.T, path string, req []byte) string {
	t.Helper()
	return oneShotTimeout(t, path, req, 10*time.Second)
}

// oneShotTimeout is oneShot reading for at most limit.
func oneShotTimeout(t *testing.T, path string, req []byte, limit time.Duration) string {
	t.Helper()
	c, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		t.Fatalf("connect %s: %v", path, err)
	}
	defer c.Close()
	if req != nil {
		c.Write(req)
	} else {
		c.(*net.UnixConn).CloseWrite()
	}
	return fmt.Sprintf("%q", readAll(c, 500*time.Millisecond, limit))
}

// triggerSink listens on a UNIX socket (qmgr's public endpoint) and
// records the trigger bytes it receives, one string per connection.
type triggerSink struct {
	l    net.Listener
	mu   sync.Mutex
	got  []string
	done chan struct{}
}

func newTriggerSink(t *testing.T, path string) *triggerSink {
	t.Helper()
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o666)
	s := &triggerSink{l: l, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			// Postfix's unix_trigger writes the request and its NUL in two
			// writes: gather what follows the first read for a moment, so the
			// result does not depend on how the bytes were split.
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			b := make([]byte, 1024)
			n, err := c.Read(b)
			for err == nil && n < len(b) {
				c.SetReadDeadline(time.Now().Add(150 * time.Millisecond))
				var m int
				m, err = c.Read(b[n:])
				n += m
			}
			c.Close()
			s.mu.Lock()
			s.got = append(s.got, string(b[:n]))
			s.mu.Unlock()
		}
	}()
	t.Cleanup(func() { l.Close(); <-s.done })
	return s
}

// take returns and forgets what was received.
// The real flush sends some triggers from its event loop after replying,
// so wait until nothing new has arrived for a while (bounded).
func (s *triggerSink) take() string {
	count := func() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.got) }
	last, quiet := count(), 0
	for deadline := time.Now().Add(3 * time.Second); quiet < 4 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		if n := count(); n != last {
			last, quiet = n, 0
		} else {
			quiet++
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := fmt.Sprintf("%q", s.got)
	s.got = nil
	return out
}

// tree lists the regular files under dir (relative names, sorted) with
// their mode, size and content when small.
func tree(root string, dirs ...string) string {
	var lines []string
	for _, d := range dirs {
		filepath.Walk(filepath.Join(root, d), func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(root, p)
			data, _ := os.ReadFile(p)
			if len(data) > 200 {
				data = data[:200]
			}
			lines = append(lines, fmt.Sprintf("%s %o %d %q", rel, fi.Mode().Perm(), fi.Size(), data))
			return nil
		})
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// logLines returns the instance's log lines from program prog, masked.
func logLines(in *instance.Instance, prog string) string {
	var out []string
	for _, l := range strings.Split(in.Maillog(), "\n") {
		if strings.Contains(l, " postfix/"+prog+"[") {
			out = append(out, instance.Mask(l[strings.Index(l, " postfix/"):], in.Root))
		}
	}
	return strings.Join(out, "\n")
}

// progs are our daemons under test, built once for the package.
var progs = instance.NewPrograms("flush", "scache", "spawn", "tlsmgr")

func TestMain(m *testing.M) { os.Exit(progs.Main(m)) }

// newInstance starts a local-delivery instance (instance.Local) whose
// daemon name is ours when side is "ours" and the real one otherwise.
func newInstance(t *testing.T, side, name, mainExtra string, files map[string]string) *instance.Instance {
	t.Helper()
	var mine map[string]string
	if side == "ours" {
		mine = progs.Map(t, name)
	}
	return instance.New(t, instance.Local(mainExtra, files, mine))
}

// postfixUID is the mail_owner's user id.
func postfixUID(t *testing.T) int {
	u, err := user.Lookup("postfix")
	if err != nil {
		t.Fatalf("no postfix user: %v", err)
	}
	n, _ := strconv.Atoi(u.Uid)
	return n
}

package maps

import (
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// proxyMaps lists the tables each instance approves; @ROOT@ is the
// instance directory. Every client writes to its own wtbl-CLIENT.
const proxyMaps = `proxy_read_maps = proxy:hash:@ROOT@/tbl, proxy:cdb:@ROOT@/tbl, proxy:hash:@ROOT@/missing,
	proxy:hash:@ROOT@/wtbl-real, proxy:hash:@ROOT@/wtbl-ours
proxy_write_maps = proxy:hash:@ROOT@/wtbl-real, proxy:hash:@ROOT@/wtbl-ours`

// proxyStep is one postmap run through proxy: tables. In args, ROOT is
// the instance directory and W the client's own write table.
type proxyStep struct {
	stdin string
	args  string
}

var proxySteps = []proxyStep{
	{"", "-q k1 proxy:hash:ROOT/tbl"},
	{"", "-q K2 proxy:hash:ROOT/tbl"},
	{"", "-f -q K2 proxy:hash:ROOT/tbl"},
	{"", "-q k1 proxy:cdb:ROOT/tbl"},
	{"", "-q k1 proxy:proxy:hash:ROOT/tbl"},
	{"k1\nK2\nzz\n", "-q - proxy:hash:ROOT/tbl"},
	{"k1\nzz\n", "-q - proxy:cdb:ROOT/tbl proxy:hash:ROOT/tbl"},
	{"", "-q k1 proxy:hash:ROOT/nope"},
	{"", "-q k1 proxy:hash:ROOT/missing"},
	{"n1 v\n", "-i proxy:hash:W"},
	{"", "-d w1 proxy:hash:W"},
	{"", "-d w1 proxy:hash:W"},
	{"w2\nzz\n", "-d - proxy:hash:W"},
	{"w1\nw2\nw3\n", "-q - proxy:hash:W"},
	{"", "-d k1 proxy:hash:ROOT/tbl"},
	{"", "-s proxy:hash:ROOT/tbl"},
	{"", "proxy:hash:ROOT/tbl"},
}

// proxySetup writes the tables with the real postmap; the write tables
// belong to the postfix user, as proxywrite runs as that user.
func proxySetup(t *testing.T) func(root string) {
	return func(root string) {
		u, _ := user.Lookup("postfix")
		uid, _ := strconv.Atoi(u.Uid)
		cf := configDir(t, "")
		os.WriteFile(root+"/tbl", []byte("k1 v1\nK2 v2\n"), 0o644)
		for _, m := range []string{"hash:" + root + "/tbl", "cdb:" + root + "/tbl"} {
			if r := run(t, 20*time.Second, "", realPostmap, "-c", cf, m); r.status != 0 {
				t.Fatalf("postmap %s: %v", m, r)
			}
		}
		for _, c := range []string{"real", "ours"} {
			w := root + "/wtbl-" + c
			os.WriteFile(w, []byte("w1 x\nw2 y\nw3 z\n"), 0o644)
			if r := run(t, 20*time.Second, "", realPostmap, "-c", cf, "hash:"+w); r.status != 0 {
				t.Fatalf("postmap %s: %v", w, r)
			}
			os.Chown(w+".db", uid, -1)
		}
	}
}

// transcript runs the steps with one postmap against an instance and
// returns what they printed, with the instance-specific names replaced.
func transcript(t *testing.T, in *instance.Instance, postmap, client string) string {
	var b strings.Builder
	for _, s := range proxySteps {
		args := strings.ReplaceAll(s.args, "ROOT", in.Root)
		args = strings.ReplaceAll(args, "proxy:hash:W", "proxy:hash:"+in.Root+"/wtbl-"+client)
		r := run(t, 30*time.Second, s.stdin, postmap, append([]string{"-c", in.Path("etc")}, strings.Fields(args)...)...)
		fmt.Fprintf(&b, "$ postmap %s\n%s%src=%d\n", s.args, r.stdout, r.stderr, r.status)
	}
	out := strings.ReplaceAll(b.String(), in.Root, "ROOT")
	return strings.ReplaceAll(out, "wtbl-"+client, "W")
}

// TestProxyClient runs the same postmap commands through proxy: tables
// with the real postmap and ours as clients, against a real master
// running the real proxymap and then ours, and requires the four
// transcripts to be the same: lookups (with and without case folding,
// -q -, nested proxy:), tables that are not approved or missing,
// deletes through proxywrite (-d key, -d -), and the refusals of -i, -s
// and building through the proxy.
func TestProxyClient(t *testing.T) {
	instance.RequireRealPostfix(t)
	clients := map[string]string{"real": realPostmap, "ours": progs.Path(t, "postmap")}
	servers := map[string]string{"real": instance.RealDaemonDir + "/proxymap", "ours": progs.Path(t, "proxymap")}
	got := map[string]string{}
	for _, server := range []string{"real", "ours"} {
		in := newInstance(t, servers[server], proxyMaps, proxySetup(t))
		for _, client := range []string{"real", "ours"} {
			got[server+" proxymap, "+client+" postmap"] = transcript(t, in, clients[client], client)
		}
		in.Halt()
		if strings.Contains(in.Maillog(), "panic") {
			t.Errorf("%s proxymap logged a panic:\n%s", server, in.Maillog())
		}
	}
	want := got["real proxymap, real postmap"]
	if !strings.Contains(want, "$ postmap -q k1 proxy:hash:ROOT/tbl\nv1\nrc=0\n") {
		t.Fatalf("the real programs did not answer a plain lookup:\n%s", want)
	}
	for name, text := range got {
		if text != want {
			t.Errorf("%s differs from the real programs\n--- real:\n%s\n--- %s:\n%s", name, want, name, text)
		}
	}
}

// TestProxyDown compares the real postmap and ours when proxymap cannot
// be reached: no socket (mail_connect_wait warns, waits 10 s, and gives
// up after 11 tries; the test compares the first two warnings), a socket
// nobody listens on (the same with "Connection refused"), and a server
// that closes every connection without a word (the announcement counts
// as received, the request meets a closed socket, and the command dies
// of SIGPIPE). Both programs run side by side; the waiting ones are
// stopped after 11.5 s.
func TestProxyDown(t *testing.T) {
	instance.RequireRealPostfix(t)
	ours := progs.Path(t, "postmap")
	listen := func(t *testing.T, private string) net.Listener {
		l, err := net.Listen("unix", private+"/proxymap")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	cases := []struct {
		name    string
		prepare func(t *testing.T, private string)
		waits   bool // still retrying when stopped
		lines   int  // stderr lines compared
	}{
		{"no-socket", func(*testing.T, string) {}, true, 2},
		{"refused", func(t *testing.T, private string) {
			l := listen(t, private)
			l.(*net.UnixListener).SetUnlinkOnClose(false)
			l.Close()
		}, true, 2},
		{"closed", func(t *testing.T, private string) {
			l := listen(t, private)
			t.Cleanup(func() { l.Close() })
			go func() {
				for {
					c, err := l.Accept()
					if err != nil {
						return
					}
					c.Close()
				}
			}()
		}, false, 0},
	}
	type side struct{ real, ours *proc }
	started := make([]side, len(cases))
	dirs := make([]string, len(cases))
	for i, c := range cases {
		root := t.TempDir()
		private := filepath.Join(root, "q", "private")
		os.MkdirAll(private, 0o755)
		c.prepare(t, private)
		cf := configDir(t, "queue_directory = "+root+"/q\n")
		dirs[i] = root
		args := []string{"-c", cf, "-q", "k", "proxy:hash:" + root + "/tbl"}
		started[i] = side{start(t, "", realPostmap, args...), start(t, "", ours, args...)}
	}
	for i, c := range cases {
		s := started[i]
		if c.waits {
			time.Sleep(time.Until(s.real.began.Add(11500 * time.Millisecond)))
			s.real.kill()
			s.ours.kill()
		}
		r, o := s.real.wait(t, 5*time.Second), s.ours.wait(t, 5*time.Second)
		if !c.waits && (r.signal != syscall.SIGPIPE || o.signal != r.signal || o.stdout != r.stdout) {
			t.Errorf("%s: real %v\nours %v", c.name, r, o)
		}
		rl, ol := lines(r.stderr, dirs[i]), lines(o.stderr, dirs[i])
		if len(rl) < c.lines || len(ol) < c.lines || c.lines == 0 && len(rl)+len(ol) > 0 {
			t.Errorf("%s: expected %d lines\nreal %q\nours %q", c.name, c.lines, rl, ol)
			continue
		}
		if strings.Join(rl[:c.lines], "\n") != strings.Join(ol[:c.lines], "\n") {
			t.Errorf("%s: stderr differs\nreal %q\nours %q", c.name, rl, ol)
		}
	}
}

// lines splits stderr into lines with the scratch directory replaced.
func lines(s, dir string) []string {
	s = strings.ReplaceAll(strings.TrimSuffix(s, "\n"), dir, "DIR")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

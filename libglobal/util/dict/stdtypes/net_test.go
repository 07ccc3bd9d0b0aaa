package stdtypes

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

func testRegistry() (*dict.Registry, *msg.Capture) {
	var c msg.Capture
	r := dict.NewRegistry(msg.New(&c))
	Register(r)
	return r, &c
}

// serve accepts connections on l and answers each request line with
// reply(line); it stops when l is closed.
func serve(t *testing.T, l net.Listener, split bufio.SplitFunc, reply func(string) string) {
	t.Helper()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				sc := bufio.NewScanner(c)
				sc.Split(split)
				for sc.Scan() {
					fmt.Fprint(c, reply(sc.Text()))
				}
			}()
		}
	}()
}

// netstrings splits a stream of netstrings.
func netstrings(data []byte, atEOF bool) (int, []byte, error) {
	i := strings.IndexByte(string(data), ':')
	if i < 0 {
		return 0, nil, nil
	}
	var n int
	fmt.Sscanf(string(data[:i]), "%d", &n)
	if len(data) < i+1+n+1 {
		return 0, nil, nil
	}
	return i + n + 2, data[i+1 : i+1+n], nil
}

func TestSocketmap(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "s")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	serve(t, l, netstrings, func(q string) string {
		var r string
		switch q {
		case "map found":
			r = "OK the value"
		case "map temp":
			r = "TEMP try later"
		case "map perm":
			r = "PERM broken"
		default:
			r = "NOTFOUND "
		}
		return fmt.Sprintf("%d:%s,", len(r), r)
	})
	reg, logs := testRegistry()
	d, err := reg.Open("socketmap:unix:"+sock+":map", os.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if v, ok, err := d.Lookup("found"); !ok || err != nil || v != "the value" {
		t.Fatalf("found: %q %v %v", v, ok, err)
	}
	if _, ok, err := d.Lookup("other"); ok || err != nil {
		t.Fatalf("notfound: %v %v", ok, err)
	}
	if _, _, err := d.Lookup("temp"); dict.KindOf(err) != dict.KindRetry {
		t.Fatalf("temp: %v", err)
	}
	if _, _, err := d.Lookup("perm"); dict.KindOf(err) != dict.KindConfig {
		t.Fatalf("perm: %v", err)
	}
	want := "warning: socketmap:unix:" + sock + ":map socketmap server temporary error: try later\n" +
		"warning: socketmap:unix:" + sock + ":map socketmap server permanent error: broken\n"
	if logs.String() != want {
		t.Fatalf("log %q", logs.String())
	}
	if _, err := reg.Open("socketmap:nocolon", os.O_RDONLY, 0); err == nil {
		t.Fatal("bad name accepted")
	}
}

func TestTCP(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	serve(t, l, bufio.ScanLines, func(q string) string {
		switch q {
		case "get a%20b%25":
			return "200 value%20with%0Aspace\n"
		case "get soft":
			return "400 later\n"
		case "get bad":
			return "2x0 what\n"
		}
		return "500 not found\n"
	})
	reg, logs := testRegistry()
	d, err := reg.Open("tcp:"+l.Addr().String(), os.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.(*tcpDict).sleep = func(time.Duration) {}
	if v, ok, err := d.Lookup("a b%"); !ok || err != nil || v != "value with\nspace" {
		t.Fatalf("found: %q %v %v", v, ok, err)
	}
	if _, ok, err := d.Lookup("x"); ok || err != nil {
		t.Fatalf("missing: %v %v", ok, err)
	}
	if _, _, err := d.Lookup("soft"); dict.KindOf(err) != dict.KindRetry {
		t.Fatalf("soft: %v", err)
	}
	if _, _, err := d.Lookup("bad"); dict.KindOf(err) != dict.KindRetry {
		t.Fatalf("bad: %v", err)
	}
	if !strings.Contains(logs.String(), "read TCP map reply from "+l.Addr().String()+": malformed reply: 2x0 what") {
		t.Fatalf("log %q", logs.String())
	}
}

func TestHexQuote(t *testing.T) {
	for _, s := range []string{"plain", "a b", "100%", "tab\there", "\x7f\x80"} {
		q := hexQuote(s)
		if strings.ContainsAny(q, " \t") {
			t.Errorf("hexQuote(%q) = %q", s, q)
		}
		if u, ok := hexUnquote(q); !ok || u != s {
			t.Errorf("round trip %q -> %q -> %q", s, q, u)
		}
	}
	if _, ok := hexUnquote("%4"); ok {
		t.Error("short escape accepted")
	}
}

package dictproxy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// server is a scripted proxymap: each request record gets the next reply
// of its request name; a nil reply closes the connection instead.
type server struct {
	t       *testing.T
	replies map[string][][]byte
	reqs    []string
}

func record(pairs ...string) []byte {
	var b bytes.Buffer
	for _, p := range pairs {
		b.WriteString(p)
		b.WriteByte(0)
	}
	b.WriteByte(0)
	return b.Bytes()
}

// readRecord reads one null-terminated record and returns it as text,
// and its request name.
func readRecord(c net.Conn) (string, string, error) {
	var b bytes.Buffer
	one := make([]byte, 1)
	var fields []string
	var cur bytes.Buffer
	for {
		if _, err := io.ReadFull(c, one); err != nil {
			return "", "", err
		}
		b.WriteByte(one[0])
		if one[0] != 0 {
			cur.WriteByte(one[0])
			continue
		}
		if cur.Len() == 0 && len(fields)%2 == 0 {
			req := ""
			if len(fields) > 1 && fields[0] == "request" {
				req = fields[1]
			}
			return b.String(), req, nil
		}
		fields = append(fields, cur.String())
		cur.Reset()
	}
}

// start listens on dir/private/proxymap and serves connections one at a
// time.
func (s *server) start(dir string) {
	os.MkdirAll(filepath.Join(dir, "private"), 0o755)
	l, err := net.Listen("unix", filepath.Join(dir, "private", "proxymap"))
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Write(record("protocol", "proxymap_protocol"))
			for {
				text, req, err := readRecord(c)
				if err != nil {
					break
				}
				s.reqs = append(s.reqs, text)
				q := s.replies[req]
				if len(q) == 0 {
					break
				}
				reply := q[0]
				s.replies[req] = q[1:]
				if reply == nil {
					break
				}
				c.Write(reply)
			}
			c.Close()
		}
	}()
}

// newTestRegistry returns a registry with the proxy type whose queue
// directory is dir, pauses shortened, and a captured log.
func newTestRegistry(t *testing.T, dir string) (*dict.Registry, *msg.Capture, *[]time.Duration) {
	return newTestRegistryWith(t, dir, Options{})
}

// newTestRegistryWith is newTestRegistry with client options.
func newTestRegistryWith(t *testing.T, dir string, opts Options) (*dict.Registry, *msg.Capture, *[]time.Duration) {
	var c msg.Capture
	r := dict.NewRegistry(msg.New(&c))
	r.Params = func(name string) (string, bool) {
		if name == "queue_directory" {
			return dir, true
		}
		return "", false
	}
	var slept []time.Duration
	cl := &client{sleep: func(d time.Duration) { slept = append(slept, d) }, opts: opts}
	r.Register("proxy", cl.open)
	return r, &c, &slept
}

func TestLookupStatuses(t *testing.T) {
	dir := t.TempDir()
	s := &server{t: t, replies: map[string][][]byte{
		"open": {record("status", "0", "flags", "28")},
		"lookup": {
			record("status", "0", "value", "v1"),
			record("status", "1", "value", ""),
			record("status", "2", "value", ""),
			record("status", "5", "value", ""),
			record("status", "9", "value", ""), // unexpected: retried
			record("status", "0", "value", "v2"),
			record("status", "3", "value", ""),
		},
	}}
	s.start(dir)
	r, logs, slept := newTestRegistry(t, dir)
	d, err := r.Open("proxy:hash:/etc/tbl", os.O_RDONLY, dict.FlagDupWarn|dict.FlagLock|dict.FlagUTF8Request|dict.FlagFoldFix)
	if err != nil {
		t.Fatal(err)
	}
	if d.Flags()&dict.FlagImplMask != dict.FlagFixed {
		t.Errorf("flags %s: the server's type flags were not taken", d.Flags())
	}
	tests := []struct {
		value string
		ok    bool
		kind  dict.ErrKind
	}{
		{"v1", true, dict.KindNone},
		{"", false, dict.KindNone},
		{"", false, dict.KindRetry},
		{"", false, dict.KindConfig},
		{"v2", true, dict.KindNone},
		{"", false, dict.KindFatal},
	}
	for i, tc := range tests {
		v, ok, err := d.Lookup("k")
		if v != tc.value || ok != tc.ok || dict.KindOf(err) != tc.kind {
			t.Errorf("lookup %d: %q %v %v, want %q %v %v", i, v, ok, err, tc.value, tc.ok, tc.kind)
		}
	}
	want := "warning: proxymap lookup failed for table \"hash:/etc/tbl\" key \"k\": unexpected reply status 9\n"
	if logs.String() != want {
		t.Errorf("log %q, want %q", logs.String(), want)
	}
	if len(*slept) != 1 || (*slept)[0] != time.Second {
		t.Errorf("pauses %v, want one of 1s", *slept)
	}
	// Open sends the instance flags only; lookups add the request flags.
	if !strings.Contains(s.reqs[0], "request\x00open\x00table\x00hash:/etc/tbl\x00flags\x000\x00\x00") {
		t.Errorf("open request %q", s.reqs[0])
	}
	if !strings.Contains(s.reqs[1], "flags\x00"+"540737\x00key\x00k\x00\x00") {
		t.Errorf("lookup request %q", s.reqs[1])
	}
}

func TestDenyAndBadAreFatal(t *testing.T) {
	for _, tc := range []struct {
		status, want string
	}{
		{"3", `proxymap open failed for table "hash:/x": invalid request`},
		{"4", `proxymap service is not configured for table "hash:/x"`},
	} {
		dir := t.TempDir()
		s := &server{t: t, replies: map[string][][]byte{"open": {record("status", tc.status, "flags", "0")}}}
		s.start(dir)
		r, _, _ := newTestRegistry(t, dir)
		_, err := r.Open("proxy:hash:/x", os.O_RDONLY, 0)
		if dict.KindOf(err) != dict.KindFatal || err.Error() != tc.want {
			t.Errorf("status %s: %v, want fatal %q", tc.status, err, tc.want)
		}
	}
}

// TestFatalHook: with Options.Fatal, a DENY reply and a connect that
// never succeeds are reported through the hook at once (a daemon's
// msg_fatal); lookups that go well do not call it.
func TestFatalHook(t *testing.T) {
	dir := t.TempDir()
	s := &server{t: t, replies: map[string][][]byte{
		"open":   {record("status", "0", "flags", "16"), record("status", "4", "flags", "0")},
		"lookup": {record("status", "0", "value", "v")},
	}}
	s.start(dir)
	var fatals []string
	r, _, _ := newTestRegistryWith(t, dir, Options{Fatal: func(format string, args ...any) {
		fatals = append(fatals, fmt.Sprintf(format, args...))
	}})
	d, err := r.Open("proxy:hash:/x", os.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok, err := d.Lookup("k"); v != "v" || !ok || err != nil || len(fatals) != 0 {
		t.Fatalf("lookup: %q %v %v, fatal %q", v, ok, err, fatals)
	}
	if _, err := r.Open("proxy:hash:/y", os.O_RDONLY, 0); dict.KindOf(err) != dict.KindFatal {
		t.Errorf("denied open: %v", err)
	}
	want := []string{`proxymap service is not configured for table "hash:/y"`}
	if strings.Join(fatals, "\n") != strings.Join(want, "\n") {
		t.Errorf("fatal %q, want %q", fatals, want)
	}
	r, _, _ = newTestRegistryWith(t, t.TempDir(), Options{Fatal: func(format string, args ...any) {
		fatals = append(fatals, fmt.Sprintf(format, args...))
	}})
	r.Open("proxy:hash:/x", os.O_RDONLY, 0)
	if len(fatals) != 2 || !strings.HasPrefix(fatals[1], "connect #11 to subsystem ") {
		t.Errorf("fatal %q after the last connect", fatals)
	}
}

// TestReconnect: the server drops the connection after open; the lookup
// meets the closed connection, reconnects and succeeds, without a
// warning for the first failure.
func TestReconnect(t *testing.T) {
	dir := t.TempDir()
	s := &server{t: t, replies: map[string][][]byte{
		"open":   {record("status", "0", "flags", "16")},
		"lookup": {nil, record("status", "0", "value", "v")},
	}}
	s.start(dir)
	r, logs, _ := newTestRegistry(t, dir)
	d, err := r.Open("proxy:hash:/x", os.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok, err := d.Lookup("k"); v != "v" || !ok || err != nil {
		t.Fatalf("lookup: %q %v %v", v, ok, err)
	}
	if logs.String() != "" {
		t.Errorf("log %q", logs.String())
	}
}

func TestConnectWaitGivesUp(t *testing.T) {
	dir := t.TempDir()
	r, logs, slept := newTestRegistry(t, dir)
	_, err := r.Open("proxy:hash:/x", os.O_RDONLY, 0)
	want := "connect #11 to subsystem " + dir + "/private/proxymap: No such file or directory"
	if dict.KindOf(err) != dict.KindFatal || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
	if n := strings.Count(logs.String(), "warning: connect #"); n != 10 || len(*slept) != 10 || (*slept)[0] != 10*time.Second {
		t.Errorf("%d warnings, pauses %v\n%s", n, *slept, logs.String())
	}
}

func TestNoProxyOpensDirectly(t *testing.T) {
	r, _, _ := newTestRegistry(t, t.TempDir())
	r.Register("static", func(req dict.OpenRequest) (dict.Dict, error) {
		return nil, errors.New("opened " + req.Label())
	})
	_, err := r.Open("proxy:static:x", os.O_RDONLY, dict.FlagNoProxy)
	if err == nil || err.Error() != "opened static:x" {
		t.Fatalf("got %v", err)
	}
}

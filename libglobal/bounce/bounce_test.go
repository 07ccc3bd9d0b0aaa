package bounce

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/flush"
	"gopostfix/libglobal/logevent"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

// fakeService is a bounce/defer/trace service that records the raw
// request records it receives and answers with a fixed status.
type fakeService struct {
	mu       sync.Mutex
	requests [][]byte
	status   int
	proto    string // announcement; empty: the bounce protocol
}

func (f *fakeService) serve(t *testing.T, path string) {
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conn := attr.NewConn(c, attr.Format0, "test", 5*time.Second)
			proto := attr.ProtoBounce
			if f.proto != "" {
				proto = f.proto
			}
			conn.Announce(proto)
			var raw bytes.Buffer
			w := attr.NewWriter(&raw, attr.Format0)
			pairs, err := conn.R.ReadRecord()
			if err == nil {
				var as []attr.Attr
				for _, p := range pairs {
					as = append(as, attr.Str(p.Name, p.Value))
				}
				w.Print(as...)
				f.mu.Lock()
				f.requests = append(f.requests, raw.Bytes())
				st := f.status
				f.mu.Unlock()
				conn.Print(attr.Int("status", st))
			}
			c.Close()
		}
	}()
}

func (f *fakeService) take() [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.requests
	f.requests = nil
	return r
}

// newTestClient starts fake bounce, defer and trace services.
func newTestClient(t *testing.T) (*Client, map[string]*fakeService, *msg.Capture) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "private"), 0700); err != nil {
		t.Fatal(err)
	}
	svcs := map[string]*fakeService{}
	for _, n := range []string{"bounce", "defer", "trace"} {
		svcs[n] = &fakeService{}
		svcs[n].serve(t, filepath.Join(dir, "private", n))
	}
	cap := &msg.Capture{}
	log := msg.New(cap)
	t0 := time.Unix(1795960000, 0)
	c := &Client{QueueDir: dir, BounceService: "bounce", DeferService: "defer", TraceService: "trace",
		VerifyService: "verify", FlushService: "flush", Timeout: 5 * time.Second, Msg: log,
		Log: &logevent.Logger{Log: log, ResLimit: 2, Now: func() time.Time { return t0 }}}
	return c, svcs, cap
}

func golden(t *testing.T, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCapturedRequests sends the requests the real 3.7.11 error agent,
// local agent and qmgr sent in the captures, and compares the bytes.
func TestCapturedRequests(t *testing.T) {
	c, svcs, cap := newTestClient(t)
	t0 := time.Unix(1795960000, 0)
	st := deliver.Stats{IncomingArrival: t0, ActiveArrival: t0}
	r := deliver.Recipient{OrigAddr: "sender@client.example", Address: "sender@client.example",
		Offset: 250, DSNOrcpt: "rfc822;sender@client.example"}
	if got := c.BounceAppend(0, "B30EF9860E3", st, r, "none", dsn.Simple("5.0.0", "client.example")); got != 0 {
		t.Fatalf("BounceAppend = %d", got)
	}
	reqs := svcs["bounce"].take()
	if len(reqs) != 1 || !bytes.Equal(reqs[0], golden(t, "append_bounce_error.bin")) {
		t.Errorf("bounce append:\n got %q\nwant %q", reqs, golden(t, "append_bounce_error.bin"))
	}
	want := "B30EF9860E3: to=<sender@client.example>, relay=none, delay=0, delays=0/0/0/0, dsn=5.0.0, status=bounced (client.example)"
	if !strings.Contains(cap.String(), want) {
		t.Errorf("log:\n%s\nwant %s", cap.String(), want)
	}

	m := Message{Queue: "active", ID: "B30EF9860E3", Encoding: "8bit"}
	if got := c.BounceFlush(FlagKeep, m); got != 0 {
		t.Fatalf("BounceFlush = %d", got)
	}
	if reqs := svcs["bounce"].take(); len(reqs) != 1 || !bytes.Equal(reqs[0], golden(t, "flush_bounce.bin")) {
		t.Errorf("bounce flush: %q", reqs)
	}

	r = deliver.Recipient{OrigAddr: "root@pfp.example", Address: "root@pfp.example", Offset: 672,
		DSNOrcpt: "rfc822;root@pfp.example", DSNNotify: deliver.NotifySuccess | deliver.NotifyFailure}
	if got := c.Sent(0, "A56E8986092", st, r, "local", dsn.Simple("2.0.0", "delivered to maildir")); got != 0 {
		t.Fatalf("Sent = %d", got)
	}
	if reqs := svcs["trace"].take(); len(reqs) != 1 || !bytes.Equal(reqs[0], golden(t, "append_trace_local.bin")) {
		t.Errorf("trace append: %q", reqs)
	}
	m = Message{Queue: "active", ID: "A56E8986092", Sender: "sender@client.example"}
	if got := c.TraceFlush(0, m); got != 0 {
		t.Fatalf("TraceFlush = %d", got)
	}
	if reqs := svcs["trace"].take(); len(reqs) != 1 || !bytes.Equal(reqs[0], golden(t, "flush_trace.bin")) {
		t.Errorf("trace flush: %q", reqs)
	}
}

// TestOutcomes checks the Postfix rules around service failures, soft
// bounce and DSN classes.
func TestOutcomes(t *testing.T) {
	st := deliver.Stats{IncomingArrival: time.Unix(1795960000, 0)}
	r := deliver.Recipient{Address: "u@example.com", Offset: 100}
	tests := []struct {
		name      string
		soft      bool
		bounceSt  int
		call      func(c *Client) int
		want      int
		logSubstr string
		service   string // service that must have seen a request
	}{
		{"bounce ok", false, 0, func(c *Client) int {
			return c.BounceAppend(0, "ID1", st, r, "none", dsn.Simple("5.1.1", "unknown"))
		}, 0, "dsn=5.1.1, status=bounced (unknown)", "bounce"},
		{"bounce service fails", false, -1, func(c *Client) int {
			return c.BounceAppend(0, "ID1", st, r, "none", dsn.Simple("5.1.1", "unknown"))
		}, -1, "dsn=4.3.0, status=deferred (bounce or trace service failure)", "defer"},
		{"soft bounce", true, 0, func(c *Client) int {
			return c.BounceAppend(0, "ID1", st, r, "none", dsn.Simple("5.1.1", "unknown"))
		}, -1, "dsn=4.1.1, status=SOFTBOUNCE (unknown)", "defer"},
		{"bad class", false, 0, func(c *Client) int {
			return c.BounceAppend(0, "ID1", st, r, "none", dsn.Simple("4.1.1", "unknown"))
		}, 0, `warning: bounce_append: ignoring dsn code "4.1.1"`, "bounce"},
		{"defer", false, 0, func(c *Client) int {
			return c.DeferAppend(0, "ID1", st, r, "none", dsn.Simple("4.4.1", "later"))
		}, -1, "dsn=4.4.1, status=deferred (later)", "defer"},
		{"sent", false, 0, func(c *Client) int {
			return c.Sent(0, "ID1", st, r, "none", dsn.Simple("2.0.0", "discarded"))
		}, 0, "dsn=2.0.0, status=sent (discarded)", ""},
		{"sent bad class", false, 0, func(c *Client) int {
			return c.Sent(0, "ID1", st, r, "none", dsn.Simple("5.0.0", "odd"))
		}, 0, `warning: sent: ignoring dsn code "5.0.0"`, ""},
		{"flush soft", true, 0, func(c *Client) int {
			return c.BounceFlush(0, Message{ID: "ID1"})
		}, -1, "", ""},
		{"flush fails", false, -1, func(c *Client) int {
			return c.BounceFlush(0, Message{ID: "ID1"})
		}, -1, "ID1: status=deferred (bounce failed)", "bounce"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, svcs, cap := newTestClient(t)
			c.SoftBounce = tt.soft
			svcs["bounce"].status = tt.bounceSt
			if got := tt.call(c); got != tt.want {
				t.Errorf("result %d, want %d", got, tt.want)
			}
			if !strings.Contains(cap.String(), tt.logSubstr) {
				t.Errorf("log:\n%s\nwant %s", cap.String(), tt.logSubstr)
			}
			if tt.service != "" && len(svcs[tt.service].take()) == 0 {
				t.Errorf("no request to %s", tt.service)
			}
		})
	}
}

func TestServiceDown(t *testing.T) {
	cap := &msg.Capture{}
	log := msg.New(cap)
	c := &Client{QueueDir: t.TempDir(), BounceService: "bounce", DeferService: "defer", TraceService: "trace",
		Msg: log, Log: &logevent.Logger{Log: log, ResLimit: 2}}
	if got := c.DeferWarn(0, Message{ID: "X"}); got != -1 {
		t.Fatalf("DeferWarn = %d", got)
	}
	if !strings.Contains(cap.String(), "warning: connect to private/defer: No such file or directory") {
		t.Fatalf("log: %s", cap.String())
	}
}

// TestDeferAppendFlush checks that a deferred recipient in
// fast_flush_domains is added to the fast flush service, that other
// domains are not, and that a failing flush service is a warning.
func TestDeferAppendFlush(t *testing.T) {
	st := deliver.Stats{IncomingArrival: time.Unix(1795960000, 0)}
	tests := []struct {
		name, rcpt string
		status     int
		want       string // request record, "" for none
		warn       bool
	}{
		{"listed", "u@fast.example", 0, "request\x00add\x00site\x00fast.example\x00queue_id\x00ID1\x00\x00", false},
		{"not listed", "u@slow.example", 0, "", false},
		{"service fails", "u@fast.example", -1, "request\x00add\x00site\x00fast.example\x00queue_id\x00ID1\x00\x00", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, cap := newTestClient(t)
			if err := os.Mkdir(filepath.Join(c.QueueDir, "public"), 0700); err != nil {
				t.Fatal(err)
			}
			fs := &fakeService{proto: attr.ProtoFlush, status: tt.status}
			fs.serve(t, filepath.Join(c.QueueDir, "public", "flush"))
			c.Flush = &flush.Client{Path: filepath.Join(c.QueueDir, "public", "flush"), Name: "public/flush",
				Service: "flush", Timeout: 5 * time.Second, Domains: siteList{"fast.example": true}, Log: c.Msg}
			r := deliver.Recipient{Address: tt.rcpt, Offset: 100}
			if got := c.DeferAppend(0, "ID1", st, r, "none", dsn.Simple("4.4.1", "later")); got != -1 {
				t.Fatalf("DeferAppend = %d", got)
			}
			reqs := fs.take()
			switch {
			case tt.want == "" && len(reqs) != 0:
				t.Errorf("flush requests %q, want none", reqs)
			case tt.want != "" && (len(reqs) != 1 || string(reqs[0]) != tt.want):
				t.Errorf("flush requests %q, want %q", reqs, tt.want)
			}
			if warned := strings.Contains(cap.String(), "warning: ID1: flush service failure"); warned != tt.warn {
				t.Errorf("log:\n%s\nwant warning %v", cap.String(), tt.warn)
			}
		})
	}
}

// siteList is a fixed fast_flush_domains.
type siteList map[string]bool

func (l siteList) Match(s string) (bool, error) { return l[s], nil }

// TestVerifyRequests checks that sendmail -bv requests (FlagUserVrfy) go
// to the trace service with the verification action instead of being
// reported as deliveries.
func TestVerifyRequests(t *testing.T) {
	st := deliver.Stats{IncomingArrival: time.Unix(1795960000, 0)}
	r := deliver.Recipient{Address: "u@example.com", Offset: 100}
	tests := []struct {
		name   string
		call   func(c *Client) int
		action string
	}{
		{"bounce", func(c *Client) int {
			return c.BounceAppend(deliver.FlagUserVrfy, "ID1", st, r, "none", dsn.Simple("5.1.1", "unknown"))
		}, "undeliverable"},
		{"defer", func(c *Client) int {
			return c.DeferAppend(deliver.FlagUserVrfy, "ID1", st, r, "none", dsn.Simple("4.4.1", "later"))
		}, "undeliverable"},
		{"sent", func(c *Client) int {
			return c.Sent(deliver.FlagUserVrfy, "ID1", st, r, "none", dsn.Simple("2.0.0", "ok"))
		}, "deliverable"},
		{"bounce one", func(c *Client) int {
			return c.BounceOne(deliver.FlagUserVrfy, Message{ID: "ID1"}, st, r, "none", dsn.Simple("5.1.1", "unknown"))
		}, "undeliverable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, svcs, cap := newTestClient(t)
			if got := tt.call(c); got != 0 {
				t.Errorf("result %d, want 0", got)
			}
			reqs := svcs["trace"].take()
			if len(reqs) != 1 || !bytes.Contains(reqs[0], []byte("action\x00"+tt.action+"\x00")) {
				t.Errorf("trace requests %q, want one with action %s", reqs, tt.action)
			}
			for _, other := range []string{"bounce", "defer"} {
				if reqs := svcs[other].take(); len(reqs) != 0 {
					t.Errorf("%s got %q", other, reqs)
				}
			}
			if want := "status=" + tt.action; !strings.Contains(cap.String(), want) {
				t.Errorf("log:\n%s\nwant %s", cap.String(), want)
			}
		})
	}
}

package main

import (
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/dictcache"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/verify"
	"gopostfix/libmaster"
)

// testVerifier is a verifier with an in-memory cache, a settable clock
// and a probe recorder.
type testVerifier struct {
	*verifier
	clock  time.Time
	probes []string
	log    *msg.Capture
}

func newTestVerifier(t *testing.T, negCache bool) *testVerifier {
	cap := &msg.Capture{}
	log := msg.New(cap)
	reg := dict.NewRegistry(log)
	stdtypes.Register(reg)
	db, err := reg.Open("internal:verify", os.O_CREATE|os.O_RDWR, openFlags)
	if err != nil {
		t.Fatal(err)
	}
	tv := &testVerifier{clock: time.Unix(1_800_000_000, 0), log: cap}
	tv.verifier = &verifier{s: &libmaster.Server{Log: log}, cache: dictcache.New("internal:verify", db, log),
		cfg: config{posExpire: 31 * 86400, posRefresh: 7 * 86400, negExpire: 3 * 86400, negRefresh: 3 * 3600,
			negCache: negCache},
		now:       func() time.Time { return tv.clock },
		sendProbe: func(addr string) { tv.probes = append(tv.probes, addr) }}
	tv.cache.Now = tv.verifier.now
	return tv
}

// call sends one request record to the service and returns the reply
// attributes as "name=value" lines.
func (tv *testVerifier) call(t *testing.T, send ...attr.Attr) string {
	t.Helper()
	srv, cli := net.Pipe()
	defer cli.Close()
	done := make(chan error, 1)
	go func() {
		done <- tv.serve(attr.NewConn(srv, attr.Format0, "verify socket", 5*time.Second))
		srv.Close()
	}()
	c := attr.NewConn(cli, attr.Format0, "test", 5*time.Second)
	if err := c.Print(send...); err != nil {
		t.Fatal(err)
	}
	var st, rs int
	var why string
	n, _ := c.Scan(attr.None, attr.RecvInt("status", &st), attr.RecvInt("recipient_status", &rs),
		attr.RecvStr("reason", &why))
	<-done
	switch n {
	case 1:
		return "status=" + strconv.Itoa(st)
	case 3:
		return "status=" + strconv.Itoa(st) + " recipient_status=" + strconv.Itoa(rs) + " reason=" + why
	}
	return "no reply"
}

func query(addr string) []attr.Attr {
	return []attr.Attr{attr.Str("request", "query"), attr.Str("address", addr)}
}

func update(addr string, st int, why string) []attr.Attr {
	return []attr.Attr{attr.Str("request", "update"), attr.Str("address", addr), attr.Int("recipient_status", st),
		attr.Str("reason", why)}
}

func TestQueryUpdateLifecycle(t *testing.T) {
	const day = 24 * time.Hour
	tv := newTestVerifier(t, true)
	steps := []struct {
		advance time.Duration
		send    []attr.Attr
		reply   string
		probes  int    // probes sent so far
		entry   string // cache value afterwards ("" = absent), times relative
	}{
		{0, query("a@example.com"), "status=0 recipient_status=3 reason=Address verification in progress", 1,
			"3:T:0:Address verification in progress"},
		{time.Minute, query("a@example.com"), "status=0 recipient_status=3 reason=Address verification in progress", 1,
			"3:T-60:0:Address verification in progress"},
		{0, update("a@example.com", verify.RcptOK, "250 2.0.0 ok\x7f"), "status=0", 1, "0:0:T:250 2.0.0 ok?"},
		{day, query("a@example.com"), "status=0 recipient_status=0 reason=250 2.0.0 ok?", 1, "0:0:T-86400:250 2.0.0 ok?"},
		{0, update("a@example.com", verify.RcptBounce, "550 no"), "status=0", 1, "0:0:T-86400:250 2.0.0 ok?"},
		{7 * day, query("a@example.com"), "status=0 recipient_status=0 reason=250 2.0.0 ok?", 2, "0:T:T-691200:250 2.0.0 ok?"},
		{24 * day, query("a@example.com"), "status=0 recipient_status=3 reason=Address verification in progress", 3,
			"3:T:0:Address verification in progress"},
		{0, update("b@[ipv6:::1]", verify.RcptDefer, "451 later"), "status=0", 3, ""},
		{0, query("b@[ipv6:::1]"), "status=0 recipient_status=1 reason=451 later", 3, ""},
		{0, update("c@example.com", 4, "x"), "status=-2", 3, ""},
		{0, []attr.Attr{attr.Str("request", "nonsense")}, "status=-2", 3, ""},
	}
	for i, s := range steps {
		tv.clock = tv.clock.Add(s.advance)
		if got := tv.call(t, s.send...); got != s.reply {
			t.Fatalf("step %d: reply %q, want %q", i, got, s.reply)
		}
		if len(tv.probes) != s.probes {
			t.Fatalf("step %d: %d probes, want %d", i, len(tv.probes), s.probes)
		}
		if s.entry == "" {
			continue
		}
		v, _, _ := tv.cache.Lookup("a@example.com")
		if want := relTimes(s.entry, tv.clock.Unix()); v != want {
			t.Fatalf("step %d: entry %q, want %q", i, v, want)
		}
	}
	if v, ok, _ := tv.cache.Lookup("b@[ipv6___1]"); !ok || !strings.HasPrefix(v, "1:0:") {
		t.Errorf("colons are not replaced in keys: %q %v", v, ok)
	}
	want := []string{"warning: bad recipient status 4 for recipient c@example.com",
		`warning: unrecognized request: "nonsense", ignored`}
	if got := tv.log.Lines; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log %q, want %q", got, want)
	}
}

// relTimes replaces "T" and "T-n" in an entry by now and now-n.
func relTimes(e string, now int64) string {
	f := strings.SplitN(e, ":", 4)
	for i := 1; i <= 2; i++ {
		if strings.HasPrefix(f[i], "T") {
			f[i] = strconv.FormatInt(now-atol(strings.TrimPrefix(f[i], "T-")), 10)
		}
	}
	return strings.Join(f, ":")
}

func TestNegativeCacheOff(t *testing.T) {
	tv := newTestVerifier(t, false)
	if got := tv.call(t, query("x@example.com")...); !strings.Contains(got, "recipient_status=3") {
		t.Fatalf("reply %q", got)
	}
	if _, ok, _ := tv.cache.Lookup("x@example.com"); ok {
		t.Error("an unknown address was stored without negative caching")
	}
	tv.call(t, update("x@example.com", verify.RcptBounce, "550 no")...)
	tv.clock = tv.clock.Add(4 * 24 * time.Hour)
	tv.call(t, query("x@example.com")...)
	if _, ok, _ := tv.cache.Lookup("x@example.com"); ok {
		t.Error("an expired negative entry was kept without negative caching")
	}
}

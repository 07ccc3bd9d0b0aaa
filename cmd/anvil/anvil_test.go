package main

import (
	"net"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

// fakeConn returns distinct anvil client identities; the anvil only uses
// them as map keys, so no traffic is needed.
func fakeConn() *attr.Conn {
	a, _ := net.Pipe()
	return attr.NewConn(a, attr.FormatPlain, "test", time.Second)
}

// render shows a reply as name=value pairs.
func render(reply []attr.Attr) string {
	var b strings.Builder
	w := attr.NewWriter(&b, attr.FormatPlain)
	w.Print(reply...)
	return strings.ReplaceAll(strings.TrimSpace(b.String()), "\n", " ")
}

func TestRequests(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.Local)
	capture := &msg.Capture{}
	a := newAnvil(msg.New(capture), 60*time.Second, func() time.Time { return now })
	A, B := fakeConn(), fakeConn()
	steps := []struct {
		c       *attr.Conn
		req, id string
		advance time.Duration
		want    string
	}{
		{A, "connect", "smtp:1.2.3.4", 0, "status=0 count=1 rate=1"},
		{A, "connect", "smtp:1.2.3.4", 0, "status=0 count=1 rate=2"},
		{B, "connect", "smtp:1.2.3.4", 0, "status=0 count=2 rate=3"},
		{A, "connect", "smtp:5.6.7.8", 0, "status=0 count=1 rate=1"},
		{B, "lookup", "smtp:1.2.3.4", 0, "status=0 count=1 rate=3 mail=0 rcpt=0 newtls=0 auth=0"},
		{B, "message", "smtp:1.2.3.4", 0, "status=0 rate=1"},
		{B, "recipient", "smtp:1.2.3.4", 0, "status=0 rate=1"},
		{B, "recipient", "smtp:1.2.3.4", 0, "status=0 rate=2"},
		{B, "newtls", "smtp:1.2.3.4", 0, "status=0 rate=1"},
		{B, "newtls_status", "smtp:1.2.3.4", 0, "status=0 rate=1"},
		{B, "auth", "smtp:1.2.3.4", 0, "status=0 rate=1"},
		{B, "disconnect", "smtp:1.2.3.4", 0, "status=0"},
		{B, "lookup", "smtp:1.2.3.4", 0, "status=0 count=0 rate=3 mail=1 rcpt=2 newtls=1 auth=1"},
		{B, "lookup", "smtp:1.2.3.4", 61 * time.Second, "status=0 count=0 rate=0 mail=0 rcpt=0 newtls=0 auth=0"},
		{A, "message", "smtp:9.9.9.9", 0, "status=0 rate=1"},
		{A, "lookup", "smtp:5.6.7.8", 0, "status=0 count=0 rate=0 mail=0 rcpt=0 newtls=0 auth=0"},
		{A, "frobnicate", "smtp:1.2.3.4", 0, "status=4294967295"},
		{A, "newtls_status", "smtp:0.0.0.0", 0, "status=0 rate=0"},
		{A, "lookup", "smtp:0.0.0.0", 0, "status=0 count=0 rate=0 mail=0 rcpt=0 newtls=0 auth=0"},
	}
	for i, st := range steps {
		now = now.Add(st.advance)
		a.mu.Lock()
		got := render(a.handle(st.c, st.req, st.id))
		a.mu.Unlock()
		if got != st.want {
			t.Errorf("step %d %s %s: got %q want %q", i, st.req, st.id, got, st.want)
		}
	}
	if want := `warning: unrecognized request: "frobnicate", ignored`; !strings.Contains(strings.Join(capture.Lines, "\n"), want) {
		t.Errorf("log lacks %q: %q", want, capture.Lines)
	}
	a.done(A)
	a.report()
	log := strings.Join(capture.Lines, "\n")
	for _, want := range []string{
		"statistics: max connection rate 3/60s for (smtp:1.2.3.4) at Nov 29 12:00:00",
		"statistics: max connection count 2 for (smtp:1.2.3.4) at Nov 29 12:00:00",
		"statistics: max recipient rate 2/60s for (smtp:1.2.3.4) at Nov 29 12:00:00",
		"statistics: max cache size 3 at Nov 29 12:01:01",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

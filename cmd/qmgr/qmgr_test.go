package main

import (
	"testing"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/util/msg"
)

func TestVerpSender(t *testing.T) {
	tests := []struct {
		delims, sender string
		r              deliver.Recipient
		want           string
	}{
		{"+=", "owner@example.org", deliver.Recipient{Address: "user@example.com"}, "owner+user=example.com@example.org"},
		{"+=", "owner@example.org", deliver.Recipient{Address: "x@y", OrigAddr: "list-user@example.com"}, "owner+list-user=example.com@example.org"},
		{"-=", "owner", deliver.Recipient{Address: "local"}, "owner-local"},
		{"+=", "owner@", deliver.Recipient{Address: "u@"}, "owner+u"},
	}
	for _, tt := range tests {
		if got := verpSender(tt.delims, tt.sender, tt.r); got != tt.want {
			t.Errorf("verpSender(%q, %q, %+v) = %q, want %q", tt.delims, tt.sender, tt.r, got, tt.want)
		}
	}
}

func TestSplitAddr(t *testing.T) {
	q, _ := newTestQmgr(t)
	q.cfg.doubleBounce = "double-bounce"
	q.cfg.ownReqSpecial = true
	for _, tt := range []struct{ delims, in, want string }{
		{"+", "user+ext", "user"}, {"+", "user", "user"}, {"+", "+ext", "+ext"},
		{"+", "postmaster", "postmaster"}, {"+", "a-b+c", "a-b"}, {"-", "owner-list", "owner-list"},
		{"-", "list-request", "list-request"}, {"-", "list-x", "list"}, {"+-", "a-b+c", "a"},
		{"-", "double-bounce", "double-bounce"}, {"+", "MAILER-DAEMON", "MAILER-DAEMON"},
	} {
		q.cfg.rcptDelim = tt.delims
		if got := q.splitAddr(tt.in); got != tt.want {
			t.Errorf("splitAddr(%q, %q) = %q, want %q", tt.delims, tt.in, got, tt.want)
		}
	}
}

func newTestQmgr(t *testing.T) (*qmgr, *msg.Capture) {
	cap := &msg.Capture{}
	q := &qmgr{log: msg.New(cap), agents: map[int]*agent{}, byName: map[string]*transport{},
		cfg: &config{minBackoff: time.Hour, initDestConc: 5, destConcLimit: 20}}
	return q, cap
}

func TestParseFeedback(t *testing.T) {
	q, cap := newTestQmgr(t)
	tests := []struct {
		val    string
		base   float64
		perWin bool
		warn   bool
	}{
		{"1/concurrency", 1, true, false},
		{"1", 1, false, false},
		{"0.5", 0.5, false, false},
		{"1/4", 0.25, false, false},
		{"2", 1, false, true},
		{"x", 1, false, true},
		{"1/0", 1, false, true},
	}
	for _, tt := range tests {
		cap.Lines = nil
		q.cfg.cfg = nil
		fb := parseFeedbackValue(q, "smtp_destination_concurrency_positive_feedback", "default_destination_concurrency_positive_feedback", tt.val, "1/concurrency")
		if fb.base != tt.base || fb.perWin != tt.perWin || (len(cap.Lines) > 0) != tt.warn {
			t.Errorf("%q: %+v warnings %q", tt.val, fb, cap.Lines)
		}
	}
}

// TestWindow follows a destination's concurrency window through
// positive feedback and a failed cohort.
func TestWindow(t *testing.T) {
	q, _ := newTestQmgr(t)
	tr := &transport{name: "smtp", destConcLimit: 7, initDestConc: 5, failCohortLimit: 1,
		pos: feedback{base: 1, perWin: true, hysteri: 1}, neg: feedback{base: 1, perWin: true, hysteri: 1},
		byName: map[string]*dqueue{}}
	dq := q.findQueue(tr, "example.com", "example.com")
	if dq.window != 5 {
		t.Fatalf("initial window %d", dq.window)
	}
	// Growth needs busy deliveries: window < busy + initial.
	dq.busy = 3
	for i := 0; i < 40; i++ {
		q.unthrottleQueue(dq)
	}
	if dq.window != 7 {
		t.Fatalf("window after success %d, want the limit 7", dq.window)
	}
	q.throttleQueue(dq, dsn.Simple("4.4.1", "connection refused"))
	if !dq.ready() || dq.window != 6 {
		t.Fatalf("after one failure: window %d", dq.window)
	}
	for i := 0; i < 10 && dq.ready(); i++ {
		q.throttleQueue(dq, dsn.Simple("4.4.1", "connection refused"))
	}
	if !dq.throttled() || dq.dsn == nil || dq.dsn.Reason != "connection refused" {
		t.Fatalf("not throttled: window %d", dq.window)
	}
	dq.timer.cancel()
	q.unthrottleQueue(dq)
	if dq.window != 3 {
		t.Fatalf("window after unthrottle %d, want busy count 3", dq.window)
	}
}

func TestCompareRcpt(t *testing.T) {
	mk := func(a string) *rcpt { return &rcpt{Recipient: deliver.Recipient{Address: a}} }
	rs := []*rcpt{mk("b@Example.com"), mk("local"), mk("a@example.com"), mk("z@a.org")}
	sortRcpts(rs)
	var got []string
	for _, r := range rs {
		got = append(got, r.Address)
	}
	want := []string{"z@a.org", "a@example.com", "b@Example.com", "local"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}

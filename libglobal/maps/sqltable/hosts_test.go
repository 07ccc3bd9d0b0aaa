package sqltable

import (
	"testing"
	"time"
)

func TestParseHost(t *testing.T) {
	for _, tc := range []struct {
		entry      string
		unix       bool
		addr, port string
	}{
		{"unix:/run/db.sock", true, "/run/db.sock", ""},
		{"inet:db.example:3307", false, "db.example", "3307"},
		{"db.example", false, "db.example", ""},
		{"db.example:mysql", false, "db.example", "mysql"},
		{"localhost", true, "", ""},
		{"inet:LOCALHOST:3306", true, "", "3306"},
	} {
		h := ParseHost(tc.entry, true)
		if h.Unix != tc.unix || h.Addr != tc.addr || h.Port != tc.port || h.Label != tc.entry {
			t.Errorf("%s: got %+v", tc.entry, h)
		}
	}
	if h := ParseHost("localhost", false); h.Unix || h.Addr != "localhost" {
		t.Errorf("localhost without the MySQL habit: %+v", h)
	}
}

func TestParsePgHost(t *testing.T) {
	for _, tc := range []struct {
		entry            string
		unix, connString bool
		addr, port       string
	}{
		{"/run/postgresql", true, false, "/run/postgresql", ""},
		{"unix:/run/pg:5433", true, false, "/run/pg:5433", ""},
		{"inet:db:5433", false, false, "db", "5433"},
		{"localhost", false, false, "localhost", ""},
		{"postgresql://u@h/db", false, true, "postgresql://u@h/db", ""},
	} {
		h := ParsePgHost(tc.entry)
		if h.Unix != tc.unix || h.ConnString != tc.connString || h.Addr != tc.addr || h.Port != tc.port {
			t.Errorf("%s: got %+v", tc.entry, h)
		}
	}
}

// TestPoolOrder checks the preference for UNIX-domain sockets, the
// failover and the stay-away time after a failure.
func TestPoolOrder(t *testing.T) {
	now := time.Unix(1000, 0)
	p := NewPool("inet:a:1, unix:/s, inet:b:2", func(e string) *Host { return ParseHost(e, true) })
	p.Now = func() time.Time { return now }
	p.Rand = func(int) int { return 0 }
	var tried []string
	up := map[string]bool{"inet:b:2": true}
	connect := func(h *Host) any {
		tried = append(tried, h.Label)
		if up[h.Label] {
			return h.Label
		}
		return nil
	}
	closed := 0
	closeConn := func(*Host) { closed++ }
	h := p.Active(connect, closeConn)
	if h == nil || h.Label != "inet:b:2" || len(tried) != 3 || tried[0] != "unix:/s" || tried[1] != "inet:a:1" {
		t.Fatalf("first: %v, tried %v", h, tried)
	}
	tried = nil
	if h := p.Active(connect, closeConn); h.Label != "inet:b:2" || len(tried) != 0 {
		t.Errorf("active connection not reused: %v %v", h, tried)
	}
	p.Down(h, closeConn)
	if h := p.Active(connect, closeConn); h != nil || len(tried) != 0 {
		t.Errorf("failed hosts tried again too early: %v %v", h, tried)
	}
	now = now.Add(RetryInterval + time.Second)
	up["unix:/s"] = true
	if h := p.Active(connect, closeConn); h == nil || h.Label != "unix:/s" {
		t.Errorf("after the retry interval: %v, tried %v", h, tried)
	}
	now = now.Add(IdleInterval + time.Second)
	before := closed
	p.Active(connect, closeConn)
	if closed != before+1 {
		t.Errorf("idle connection not closed")
	}
}

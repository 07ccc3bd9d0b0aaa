package smtpd

import (
	"net"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

func TestValidVerifySender(t *testing.T) {
	now := time.Unix(3600*1000, 0) // epoch 1000 with a one-hour TTL: "118" in base 31
	for _, tc := range []struct {
		conf, ttl, addr string
		want            string
		ok              bool
	}{
		{"double-bounce", "0s", "double-bounce@mx.example.com", "double-bounce@mx.example.com", true},
		{"double-bounce", "0s", "Double-Bounce@MX.example.com", "double-bounce@mx.example.com", true},
		{"double-bounce", "0s", "double-bounce", "", false},
		{"double-bounce", "0s", "double-bounce2@mx.example.com", "", false},
		{"double-bounce", "0s", "double-bounce@example.com", "", false},
		{"<>", "0s", "", "", true},
		{"<>", "0s", "a@example.org", "", false},
		{"double-bounce", "60m", "double-bounce118@mx.example.com", "double-bounce@mx.example.com", true},
		{"double-bounce", "60m", "double-bounce119@mx.example.com", "double-bounce@mx.example.com", true},
		{"double-bounce", "60m", "double-bounce117@mx.example.com", "double-bounce@mx.example.com", true},
		{"double-bounce", "60m", "double-bounce11B@mx.example.com", "", false},
		{"double-bounce", "60m", "double-bounce116@mx.example.com", "", false},
		{"double-bounce", "60m", "double-bounce11C@mx.example.com", "", false},
		{"double-bounce", "60m", "double-bounce11a@mx.example.com", "", false},
		{"double-bounce", "60m", "double-bounce@mx.example.com", "", false},
	} {
		p := baseParams()
		p["address_verify_sender"] = tc.conf
		p["address_verify_sender_ttl"] = tc.ttl
		deps := newTestDeps(&msg.Capture{}, nil)
		deps.VerifySender = func() string { return tc.conf + "@mx.example.com" }
		deps.Now = func() time.Time { return now }
		server, client := net.Pipe()
		ss := NewSession(NewConfig(p), deps, server, Client{Name: "c.example", Addr: "192.0.2.1", Port: "1"})
		if got, ok := ss.validVerifySender(tc.addr); got != tc.want || ok != tc.ok {
			t.Errorf("%s (ttl %s): %q = %q %v, want %q %v", tc.conf, tc.ttl, tc.addr, got, ok, tc.want, tc.ok)
		}
		server.Close()
		client.Close()
	}
}

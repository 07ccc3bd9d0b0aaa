package smtpd

import (
	"net"
	"testing"

	"gopostfix/libglobal/util/msg"
)

// TestCheckRewrite: local_header_rewrite_clients chooses the rewrite
// context from the client address.
func TestCheckRewrite(t *testing.T) {
	for _, tc := range []struct {
		list, addr, want string
	}{
		{"permit_inet_interfaces", "192.0.2.25", rewriteLocal},
		{"permit_inet_interfaces", "192.0.2.1", rewriteRemote},
		{"permit_mynetworks", "127.0.0.1", rewriteLocal},
		{"permit_mynetworks", "192.0.2.1", rewriteRemote},
		{"inline:{192.0.2.1=yes}", "192.0.2.1", rewriteLocal},
		{"check_address_map inline:{192.0.2.1=yes}", "192.0.2.1", rewriteLocal},
		{"permit_sasl_authenticated, bogus_word", "192.0.2.1", rewriteRemote},
		{"", "192.0.2.25", rewriteRemote},
	} {
		p := baseParams()
		p["local_header_rewrite_clients"] = tc.list
		deps := newTestDeps(&msg.Capture{}, nil)
		deps.OwnAddr = func(a string) bool { return a == "192.0.2.25" }
		server, client := net.Pipe()
		ss := NewSession(NewConfig(p), deps, server, Client{Name: "c.example", Addr: tc.addr, Port: "1"})
		if r := ss.checkRewrite(); r != "" || ss.rewriteContext != tc.want {
			t.Errorf("%q from %s: context %q reply %q, want %q", tc.list, tc.addr, ss.rewriteContext, r, tc.want)
		}
		server.Close()
		client.Close()
	}
}

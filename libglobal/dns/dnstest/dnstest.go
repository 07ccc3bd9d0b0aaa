// Package dnstest runs a name server over UDP on a loopback port for
// the unit tests of DNS clients (libglobal/dns, dnsblog, smtpd): each
// test supplies the handler with the answers it needs, and the server
// stops when the test ends. It is imported by tests only.
package dnstest

import (
	"net"
	"testing"

	mdns "github.com/miekg/dns"
)

// Serve answers queries to addr (host:port) with h until t ends; a port
// that cannot be had fails t.
func Serve(t testing.TB, addr string, h mdns.Handler) {
	t.Helper()
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := &mdns.Server{PacketConn: pc, Handler: h}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
}

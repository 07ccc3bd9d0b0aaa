package inet

import (
	"net"
	"net/netip"
	"testing"
)

func TestFromIPNet(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"192.0.2.2/24", "192.0.2.2", true},
		{"fd00::2/64", "fd00::2", true},
		{"0.0.0.0/0", "", false},
		{"::/0", "", false},
	}
	for _, tt := range tests {
		ip, n, err := net.ParseCIDR(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		n.IP = ip
		got, ok := fromIPNet(n)
		if ok != tt.ok || ok && got.Addr.String() != tt.want {
			t.Errorf("fromIPNet(%s) = %v, %v; want %s, %v", tt.in, got.Addr, ok, tt.want, tt.ok)
		}
	}
}

func TestLocalHasLoopback(t *testing.T) {
	addrs, err := Local()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range addrs {
		if a.Addr.Zone() != "" {
			t.Errorf("%v carries a zone", a.Addr)
		}
		if a.Addr == netip.MustParseAddr("127.0.0.1") {
			found = true
		}
	}
	if !found {
		t.Errorf("127.0.0.1 not among %v", addrs)
	}
}

func TestIsLoopback(t *testing.T) {
	for s, want := range map[string]bool{"127.0.0.1": true, "127.1.2.3": true, "::1": true, "192.0.2.1": false, "::2": false, "::ffff:127.0.0.1": false} {
		if got := IsLoopback(netip.MustParseAddr(s)); got != want {
			t.Errorf("IsLoopback(%s) = %v", s, got)
		}
	}
}

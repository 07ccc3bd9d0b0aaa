package params

import (
	"net"
	"net/netip"
	"strings"
	"testing"

	"gopostfix/libglobal/util/inet"
)

func TestMynetworksStyles(t *testing.T) {
	h := vmHost()
	h.Addrs = append(h.Addrs,
		inet.IfAddr{Addr: netip.MustParseAddr("172.16.5.9"), Mask: net.CIDRMask(12, 32)},
		inet.IfAddr{Addr: netip.MustParseAddr("10.1.2.3"), Mask: net.CIDRMask(24, 32)},
		inet.IfAddr{Addr: netip.MustParseAddr("10.1.2.4"), Mask: net.CIDRMask(24, 32)},
		inet.IfAddr{Addr: netip.MustParseAddr("2001:db8:1:2::5"), Mask: net.CIDRMask(52, 128)},
	)
	tests := []struct {
		set  map[string]string
		want string
	}{
		{nil, "127.0.0.0/8 192.0.2.0/24 172.16.0.0/12 10.1.2.0/24 [::1]/128 [fd00::]/64 [fe80::]/64 [2001:db8:1::]/52 "},
		{map[string]string{"compatibility_level": "2"},
			"127.0.0.1/32 192.0.2.2/32 172.16.5.9/32 10.1.2.3/32 10.1.2.4/32 [::1]/128 [fd00::2]/128 [fe80::fc:ff:fe00:1]/128 [2001:db8:1:2::5]/128 "},
		{map[string]string{"mynetworks_style": "class"},
			"127.0.0.0/8 192.0.2.0/24 172.16.0.0/16 10.0.0.0/8 [::1]/128 [fd00::]/64 [fe80::]/64 [2001:db8:1::]/52 "},
		{map[string]string{"mynetworks_style": "host", "inet_interfaces": "loopback-only"}, "127.0.0.1/32 [::1]/128 "},
		{map[string]string{"inet_protocols": "ipv4"}, "127.0.0.0/8 192.0.2.0/24 172.16.0.0/12 10.1.2.0/24 "},
		{map[string]string{"inet_protocols": "ipv6, ipv4", "inet_interfaces": "[fd00::2], 10.1.2.4 127.0.0.1 10.1.2.4"},
			"[fd00::]/64 10.1.2.0/24 127.0.0.0/8 "}, // in the order listed
		{map[string]string{"inet_protocols": ""}, ""},
	}
	for _, tt := range tests {
		got, err := ComputedDefault("mynetworks", h, defaultsOnly{h: h, set: tt.set})
		if err != nil || got != tt.want {
			t.Errorf("mynetworks with %v = %q, %v\n want %q", tt.set, got, err, tt.want)
		}
	}
}

func TestMynetworksErrors(t *testing.T) {
	h := vmHost()
	tests := []struct {
		set  map[string]string
		want string
	}{
		{map[string]string{"mynetworks_style": "bogus"}, `unknown mynetworks mask style value "bogus" in "bogus"`},
		{map[string]string{"mynetworks_style": "host, subnet"}, `bad mynetworks_style value: host, subnet; specify exactly one value`},
		{map[string]string{"mynetworks_style": ""}, `bad mynetworks_style value: ; specify exactly one value`},
		{map[string]string{"inet_protocols": "ipv5"}, `unknown inet_protocols value "ipv5" in "ipv5"`},
		{map[string]string{"inet_interfaces": "no.such.host"}, `config variable inet_interfaces: host not found: no.such.host`},
		{map[string]string{"inet_interfaces": "192.0.2.99"}, `parameter inet_interfaces: no local interface found for 192.0.2.99`},
		{map[string]string{"inet_protocols": "ipv4", "inet_interfaces": "::1"}, `config variable inet_interfaces: host not found: ::1`},
	}
	for _, tt := range tests {
		_, err := ComputedDefault("mynetworks", h, defaultsOnly{h: h, set: tt.set})
		if err == nil || err.Error() != tt.want {
			t.Errorf("mynetworks with %v: error %v, want %s", tt.set, err, tt.want)
		}
	}
	h.Addrs = nil
	if _, err := ComputedDefault("mynetworks", h, defaultsOnly{h: h}); err == nil || !strings.Contains(err.Error(), "could not find any active network interfaces") {
		t.Errorf("no interfaces: %v", err)
	}
}

func TestHostnameDefaults(t *testing.T) {
	tests := []struct {
		host     string
		set      map[string]string
		hostname string
		domain   string
	}{
		{"vm", nil, "vm.localdomain", "localdomain"},
		{"mail.example.com", nil, "mail.example.com", "example.com"},
		{"vm", map[string]string{"mydomain": "example.org"}, "vm.example.org", "example.org"},
		{"vm", map[string]string{"myhostname": "mx.example.net"}, "vm.localdomain", "example.net"},
		{"vm", map[string]string{"myhostname": "single"}, "vm.localdomain", "localdomain"},
	}
	for _, tt := range tests {
		h := &Host{Hostname: tt.host}
		r := defaultsOnly{h: h, set: tt.set}
		name, err1 := ComputedDefault("myhostname", h, r)
		domain, err2 := ComputedDefault("mydomain", h, r)
		if err1 != nil || err2 != nil || name != tt.hostname || domain != tt.domain {
			t.Errorf("host %s %v: myhostname %q (%v), mydomain %q (%v); want %q, %q",
				tt.host, tt.set, name, err1, domain, err2, tt.hostname, tt.domain)
		}
	}
}

func TestMaskPrefix(t *testing.T) {
	if got := maskPrefix([]byte{255, 255, 0, 255}); got != 32 {
		t.Errorf("non-contiguous IPv4 mask: %d", got)
	}
	if got := maskPrefix6([]byte{255, 255, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); got != 16 {
		t.Errorf("non-contiguous IPv6 mask: %d", got)
	}
	if got := maskPrefix6(net.CIDRMask(60, 128)); got != 60 {
		t.Errorf("/60: %d", got)
	}
}

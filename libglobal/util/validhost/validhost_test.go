package validhost

import "testing"

func TestIPv4Addr(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"1.2.3.4", true}, {"01.02.03.04", true}, {"255.255.255.255", true}, {"0.0.0.0", true},
		{"0001.2.3.4", true}, {"00.0.0.0", true},
		{"256.1.1.1", false}, {"1.2.3", false}, {"1.2.3.4.5", false}, {"1..3.4", false},
		{"1.2.3.4.", false}, {".1.2.3", false}, {"0.1.2.3", false}, {"00.1.2.3", false},
		{"1.2.3.a", false}, {"", false}, {"1.2.3.-4", false}, {"1.2.3.4 ", false},
	}
	for _, tc := range tests {
		if got := IPv4Addr(tc.in); got != tc.ok {
			t.Errorf("IPv4Addr(%q) = %v", tc.in, got)
		}
	}
}

func TestIPv6Addr(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"::1", true}, {"::", true}, {"1::", true}, {"fe80::1", true}, {"2001:db8::5", true},
		{"1:2:3:4:5:6:7:8", true}, {"FC:00:00:00:1:2:3:4", true}, {"::ffff:1.2.3.4", true},
		{"0:1:2:3:4:5:6.7.8.9", true}, {"::ffff:01.2.3.4", true},
		{"1:2", false}, {":1::2", false}, {"1:2:3:4:5:6:7:8:9", false}, {"1::2::3", false},
		{"12345::1", false}, {"fe80::1%eth0", false}, {"::g", false}, {"1:2:3:4:5:6:7:1.2.3.4", false},
		{"::ffff:1.2.3", false}, {"1.2.3.4", false}, {"", false}, {"1:2:", false},
	}
	for _, tc := range tests {
		if got := IPv6Addr(tc.in); got != tc.ok {
			t.Errorf("IPv6Addr(%q) = %v", tc.in, got)
		}
	}
}

func TestHostAddrAndPort(t *testing.T) {
	for in, ok := range map[string]bool{"": false, "1.2.3.4": true, "::1": true, "1.2.3": false, "x": false} {
		if HostAddr(in) != ok {
			t.Errorf("HostAddr(%q) != %v", in, ok)
		}
	}
	for in, ok := range map[string]bool{"0": true, "25": true, "65535": true, "65536": false, "0123": false,
		"": false, "123456": false, "-1": false, "2x": false} {
		if Port(in) != ok {
			t.Errorf("Port(%q) != %v", in, ok)
		}
	}
}

// FuzzIPv6Addr checks that no input makes the scanner fail or loop.
func FuzzIPv6Addr(f *testing.F) {
	for _, s := range []string{"::1", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4", ":::", "1::2::3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		IPv6Addr(s)
		HostAddr(s)
	})
}

package validhost

import (
	"strings"
	"testing"
)

func TestMailhostLiteral(t *testing.T) {
	zeros := func(n int) string { return strings.Repeat("0", n) }
	tests := []struct {
		in string
		ok bool
	}{
		{"[1.2.3.4]", true}, {"[0.0.0.0]", true}, {"[0001.2.3.4]", true},
		{"[IPv6:::1]", true}, {"[ipv6:2001:db8::1]", true}, {"[IPv6:::ffff:1.2.3.4]", true},
		{"[" + zeros(38) + "1.2.3.4]", true},  // 45 bytes inside
		{"[" + zeros(39) + "1.2.3.4]", false}, // 46 bytes inside
		{"[0.1.2.3]", false}, {"[1.2.3]", false}, {"[256.1.1.1]", false}, {"[1:2::3]", false},
		{"[ipv6:1:2:3:4:5:6:7::]", false}, {"[IPv6:fe80::1%eth0]", false}, {"[IPv6:1.2.3.4]", false},
		{"[1.2.3.4]x", false}, {"[1.2.3.4", false}, {"1.2.3.4", false}, {"[[1.2.3.4]]", false}, {"[]", false}, {"", false},
	}
	for _, tc := range tests {
		if got := MailhostLiteral(tc.in); got != tc.ok {
			t.Errorf("MailhostLiteral(%q) = %v", tc.in, got)
		}
	}
}

func TestMailhostAddr(t *testing.T) {
	for in, want := range map[string]string{"IPv6:::1": "::1", "ipv6:fe80::2": "fe80::2", "1.2.3.4": "1.2.3.4"} {
		if got, ok := MailhostAddr(in); !ok || got != want {
			t.Errorf("MailhostAddr(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"::1", "IPv6:1.2.3.4", "IPv6:", "x"} {
		if _, ok := MailhostAddr(in); ok {
			t.Errorf("MailhostAddr(%q) accepted", in)
		}
	}
}

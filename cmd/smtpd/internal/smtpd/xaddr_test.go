package smtpd

import (
	"net/netip"
	"strings"
	"testing"
)

// xaddrCases are XCLIENT/XFORWARD address values with what the real
// smtpd 3.7.11 made of them (the dialogue scripts 173-176 of
// tests/smtpd, where the address shows in its replies and log lines):
// "" for "Bad ADDR syntax". all selects inet_protocols = all, else ipv4.
var xaddrCases = []struct {
	in   string
	all  bool
	want string
}{
	{"127.000.000.001", false, "127.0.0.1"},
	{"0177.0.0.07", false, "127.0.0.7"},
	{"127.0.0.010", false, "127.0.0.8"},
	{"127.0.0.011", false, "127.0.0.9"},
	{"010.1.2.3", false, "8.1.2.3"},
	{"010.001.002.003", false, "8.1.2.3"},
	{"08.1.1.1", false, ""},
	{"0400.1.1.1", false, ""},
	{"1.2.3", false, ""},
	{"0x7f.0.0.1", false, ""},
	{"IPv6:::1", false, ""},
	{"IPv6:::ffff:127.0.0.1", false, "127.0.0.1"},
	{"::1", false, ""},
	{"[127.0.0.1]", false, ""},
	{"?127.0.0.1?", false, ""},
	{"[TEMPUNAVAIL]", false, ""},
	{"ipv6:[UNAVAILABLE]", false, ""},
	{"IPv6:::ffff:010.1.2.3", true, ""},
	{"IPv6:1.2.3.4", true, ""},
	{"IPv6:::ffff:127.000.0.1", true, ""},
	{"IPv6:2001:DB8:0:0:0:0:0:1", true, "2001:db8::1"},
	{"ipv6:::2", true, "::2"},
	{"IPV6:::1.2.3.4", true, "::1.2.3.4"},
	{"IPv6:0::ffff:7f00:1", true, "127.0.0.1"},
	{"IPv6:1:0:0:2:0:0:0:3", true, "1:0:0:2::3"},
	{"IPv6:::1", true, "::1"},
	{"IPv6:::ffff:1:2:3", true, "1:2:3"},
}

func TestNormalizeAddr(t *testing.T) {
	for _, tc := range xaddrCases {
		got, _, ok := normalizeAddr(tc.in, true, tc.all)
		if !ok {
			got = ""
		}
		if got != tc.want {
			t.Errorf("normalizeAddr(%q, all=%v) = %q %v, want %q", tc.in, tc.all, got, ok, tc.want)
		}
	}
}

// FuzzNormalizeAddr checks the address parser of XCLIENT and XFORWARD
// on any input: an accepted address is a valid address in its printed
// form (which need not pass the syntax check again: ::1:0 is printed
// ::0.1.0.0, as glibc does), a decimal dotted quad without leading
// zeros reads as Go reads it, and an IPv6 input gives the same address.
func FuzzNormalizeAddr(f *testing.F) {
	for _, tc := range xaddrCases {
		f.Add(tc.in, tc.all)
	}
	for _, s := range []string{"0.0.0.0", "255.255.255.255", "0377.0377.0377.0377", "00.0.0.0", "IPv6:::",
		"IPv6:1:2:3:4:5:6:7::", "IPv6:::ffff:0:0", "IPv6:fe80::1%eth0", "IPv6:1::2::3", "[UNAVAILABLE]", ""} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, in string, all bool) {
		got, v6, ok := normalizeAddr(in, true, all)
		if !ok {
			return
		}
		if a6, err := netip.ParseAddr(in[min(len(in), 5):]); err == nil && a6.Is6() && !v6 && !a6.Is4In6() {
			// Postfix takes any inet_ntop text that starts with
			// "::ffff:" for an IPv4 address: ::ffff:1:2:3 is "1:2:3".
			if want := inetNtop6(a6.As16())[7:]; got != want {
				t.Fatalf("%q: got %q, want %q", in, got, want)
			}
			return
		}
		a, err := netip.ParseAddr(got)
		if err != nil {
			t.Fatalf("%q: result %q is no address: %v", in, got, err)
		}
		if v6 != a.Is6() || (!all && v6) {
			t.Fatalf("%q: result %q, IPv6 %v with all=%v", in, got, v6, all)
		}
		if v6 && inetNtop6(a.As16()) != got {
			t.Fatalf("%q: result %q is not in inet_ntop form", in, got)
		}
		if d, err := netip.ParseAddr(in); err == nil && d.Is4() && d.String() != got {
			t.Fatalf("%q: got %q, want %q", in, got, d)
		}
		if bare, ok := strings.CutPrefix(strings.ToLower(in), "ipv6:"); ok {
			if d, err := netip.ParseAddr(bare); err == nil && d.Unmap() != a.Unmap() {
				t.Fatalf("%q: got %q, a different address", in, got)
			}
		}
	})
}

// TestInetNtop6 covers the inet_ntop forms that Go prints differently;
// the expected texts are those of glibc 2.36's inet_ntop (Debian 12).
func TestInetNtop6(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"::", "::"}, {"::1", "::1"}, {"::2", "::2"}, {"::102:304", "::1.2.3.4"},
		{"::ffff:1.2.3.4", "::ffff:1.2.3.4"}, {"1::", "1::"}, {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},
		{"1:0:0:2:0:0:3:4", "1::2:0:0:3:4"}, {"1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"}, {"0:0:1::", "0:0:1::"},
		{"::1:0:0:0", "::1:0:0:0"}, {"::ffff:0:0", "::ffff:0.0.0.0"}, {"2001:DB8::AB", "2001:db8::ab"},
	} {
		if got := inetNtop6(netip.MustParseAddr(tc.in).As16()); got != tc.want {
			t.Errorf("inetNtop6(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

package smtpd

import (
	"testing"
)

const v2sig = "\r\n\r\n\x00\r\nQUIT\n"

func TestParseProxy(t *testing.T) {
	v4body := "\xc0\x00\x02\x3c\xc0\x00\x02\x01\x10\xe1\x00\x19"
	v6body := "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05" +
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xc0\x00\x02\x01\x10\xe1\x00\x19"
	for _, tc := range []struct {
		in, why    string
		ep         proxyEndpoints
		local      bool
		used       int
		ipv4, ipv6 bool
	}{
		{in: "PROXY TCP4 192.0.2.60 192.0.2.1 4321 25\r\nEHLO x\r\n", ep: proxyEndpoints{"192.0.2.60", "4321", "192.0.2.1", "25"}, used: 41, ipv4: true},
		{in: "PROXY TCP4 192.0.2.60 192.0.2.1 4321 25", why: "missing protocol header terminator", ipv4: true},
		{in: "PROXY TCP6 2001:db8::5 2001:db8::1 4321 25\r\n", why: "bad or missing protocol type", ipv4: true},
		{in: "PROXY TCP6 2001:db8::5 ::ffff:192.0.2.1 1 2\r\n", ep: proxyEndpoints{"2001:db8::5", "1", "192.0.2.1", "2"}, used: 45, ipv4: true, ipv6: true},
		{in: "PROXY TCP4 192.0.2.60 192.0.2.1 04321 25\r\n", why: "bad or missing client port", ipv4: true},
		{in: "PROXY TCP4 192.0.2.60 192.0.2.1 4321 65536\r\n", why: "bad or missing server port", ipv4: true},
		{in: "PROXY TCP4 192.0.2.600 192.0.2.1 4321 25\r\n", why: "bad or missing client address", ipv4: true},
		{in: "PROXY TCP4 192.0.2.60 2001:db8::1 4321 25\r\n", why: "bad or missing server address", ipv4: true},
		{in: "PROXY  UNKNOWN\r\n", why: "bad or missing protocol type", ipv4: true},
		{in: "EHLO x\r\n", why: "short protocol header", ipv4: true},
		{in: "EHLO client.example.org\r\n", why: "unrecognized protocol header", ipv4: true},
		{in: v2sig + "\x21\x11\x00\x0c" + v4body, ep: proxyEndpoints{"192.0.2.60", "4321", "192.0.2.1", "25"}, used: 28, ipv4: true},
		{in: v2sig + "\x21\x11\x00\x14" + v4body + "\x04\x00\x05hello" + "EHLO x\r\n", ep: proxyEndpoints{"192.0.2.60", "4321", "192.0.2.1", "25"}, used: 36, ipv4: true},
		{in: v2sig + "\x21\x11\x00\x0c" + v4body, why: "Postfix IPv4 support is disabled", ipv6: true},
		{in: v2sig + "\x21\x11\x00\x08" + v4body[:8], why: "short address field", ipv4: true},
		{in: v2sig + "\x21\x11\x00\x0c" + v4body[:4], why: "short version 2 protocol header", ipv4: true},
		{in: v2sig + "\x21\x21\x00\x24" + v6body, why: "Postfix IPv6 support is disabled", ipv4: true},
		{in: v2sig + "\x21\x21\x00\x24" + v6body, ep: proxyEndpoints{"2001:db8::5", "4321", "192.0.2.1", "25"}, used: 52, ipv4: true, ipv6: true},
		{in: v2sig + "\x21\x12\x00\x0c" + v4body, why: "unsupported network protocol", ipv4: true},
		{in: v2sig + "\x22\x11\x00\x0c" + v4body, why: "bad command in proxy header", ipv4: true},
		{in: v2sig + "\x11\x11\x00\x0c" + v4body, why: "unrecognized protocol version", ipv4: true},
		{in: v2sig + "\x20\x00\x00\x00", local: true, used: 16, ipv4: true},
	} {
		ep, local, used, why := parseProxy([]byte(tc.in), tc.ipv4, tc.ipv6)
		if why != tc.why || ep != tc.ep || local != tc.local || used != tc.used {
			t.Errorf("parseProxy(%q) = %+v, %v, %d, %q; want %+v, %v, %d, %q", tc.in, ep, local, used, why,
				tc.ep, tc.local, tc.used, tc.why)
		}
	}
}

// FuzzParseProxy checks that no header makes the parser fail or claim
// more bytes than it was given.
func FuzzParseProxy(f *testing.F) {
	for _, seed := range []string{
		"PROXY TCP4 192.0.2.60 192.0.2.1 4321 25\r\n",
		"PROXY TCP6 ::1 ::1 1 1\r\n",
		v2sig + "\x21\x11\x00\x0c\xc0\x00\x02\x3c\xc0\x00\x02\x01\x10\xe1\x00\x19",
		v2sig + "\x20\x00\x00\x00",
		v2sig + "\x21\x21\x00\x24" + string(make([]byte, 36)),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		ep, local, used, why := parseProxy(p, true, true)
		if why == "" && (used <= 0 || used > len(p)) {
			t.Fatalf("used %d of %d bytes", used, len(p))
		}
		if why == "" && !local && (ep.clientAddr == "" || ep.serverPort == "") {
			t.Fatalf("accepted without endpoints: %+v", ep)
		}
	})
}

package haproxy

import (
	"errors"
	"strings"
	"testing"
)

const v2sig = "\r\n\r\n\x00\r\nQUIT\n"

// TestParse runs text and binary headers through Parse with both
// address families enabled unless a case says otherwise.
func TestParse(t *testing.T) {
	v4body := "\xc0\x00\x02\x3c\xc0\x00\x02\x01\x10\xe1\x00\x19"
	v6body := "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05" +
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xc0\x00\x02\x01\x10\xe1\x00\x19"
	compat := strings.Repeat("\x00", 12) + "\xc0\x00\x02\x07" + strings.Repeat("\x00", 15) + "\x01\x00\x19\x00\x19"
	ep := func(ca, cp, sa, sp string) Endpoints { return Endpoints{ca, cp, sa, sp} }
	v4only := []bool{true, false}
	for _, tc := range []struct {
		in     string
		fam    []bool // ipv4, ipv6; both when nil
		why    string
		ep     Endpoints
		local  bool
		length int
	}{
		// Text form.
		{in: "PROXY TCP4 192.0.2.60 192.0.2.1 4321 25\r\nEHLO x\r\n", ep: ep("192.0.2.60", "4321", "192.0.2.1", "25"), length: 41},
		{in: "PROXY TCP4 192.0.2.7 192.0.2.1 4711 25 extra\r\n", ep: ep("192.0.2.7", "4711", "192.0.2.1", "25"), length: 46},
		{in: "PROXY tcp4  192.0.2.7\r192.0.2.1 4711 25\n", ep: ep("192.0.2.7", "4711", "192.0.2.1", "25"), length: 40},
		{in: "PROXY TCP6 fc:00:00:00:1:2:3:4 fc:00:00:00:4:3:2:1 123 321\n", ep: ep("fc::1:2:3:4", "123", "fc::4:3:2:1", "321"), length: 59},
		{in: "PROXY TCP6 FC:00:00:00:1:2:3:4 FC:00:00:00:4:3:2:1 123 321\n", ep: ep("fc::1:2:3:4", "123", "fc::4:3:2:1", "321"), length: 59},
		{in: "PROXY TCP6 ::FFFF:1.2.3.4 ::ffff:4.3.2.1 123 321\n", ep: ep("1.2.3.4", "123", "4.3.2.1", "321"), length: 49},
		{in: "PROXY TCP6 2001:db8::5 ::ffff:192.0.2.1 1 2\r\n", ep: ep("2001:db8::5", "1", "192.0.2.1", "2"), length: 45},
		{in: "PROXY TCP6 ::ffff:1.2.3.4 ::c000:201 1 2\n", fam: []bool{false, true}, ep: ep("::ffff:1.2.3.4", "1", "::192.0.2.1", "2"), length: 41},
		{in: "PROXY TCP4 01.02.03.04 010.03.02.01 123 321\n", ep: ep("1.2.3.4", "123", "8.3.2.1", "321"), length: 44},
		{in: "PROXY TCP4 0.0.0.0 4.3.2.1 123 0\n", ep: ep("0.0.0.0", "123", "4.3.2.1", "0"), length: 33},
		{in: "PROXY TCP4 08.1.1.1 4.3.2.1 123 321\n", why: "bad or missing client address"},
		{in: "PROXY TCP4 0.1.2.3 4.3.2.1 123 321\n", why: "bad or missing client address"},
		{in: "PROXY TCP4 192.0.2.600 192.0.2.1 4321 25\r\n", why: "bad or missing client address"},
		{in: "PROXY TCP4 1.2.3 4.3.2.1 123 321\n", why: "bad or missing client address"},
		{in: "PROXY TCP4 ::ffff:1.2.3.4 ::ffff:4.3.2.1 123 321\n", why: "bad or missing client address"},
		{in: "PROXY TCP4 1.2.3.4 ::ffff:4.3.2.1 123 321\n", why: "bad or missing server address"},
		{in: "PROXY TCP6 1.2.3.4 4.3.2.1 123 321\n", why: "bad or missing client address"},
		{in: "PROXY TCP6 fe80::1%eth0 ::1 123 321\n", why: "bad or missing client address"},
		{in: "PROXY TCP6 2001:db8::5 2001:db8::1 4321 25\r\n", fam: v4only, why: "bad or missing protocol type"},
		{in: "PROXY TCP4 1.2.3.4 4.3.2.1 123456 321\n", why: "bad or missing client port"},
		{in: "PROXY TCP4 1.2.3.4 4.3.2.1 123 654321\n", why: "bad or missing server port"},
		{in: "PROXY TCP4 1.2.3.4 4.3.2.1 0123 321\n", why: "bad or missing client port"},
		{in: "PROXY TCP4 1.2.3.4 4.3.2.1 123 65536\n", why: "bad or missing server port"},
		{in: "PROXY TCP4 1.2.3.4 4.3.2.1 x 25\n", why: "bad or missing client port"},
		{in: "PROXY TCP4 1.2.3.4 4.3.2.1 123\n", why: "bad or missing server port"},
		{in: "PROXY TCP4 1.2.3.4\n", why: "bad or missing server address"},
		{in: "PROXY TCP4\n", why: "bad or missing client address"},
		{in: "PROXY BLAH\n", why: "bad or missing protocol type"},
		{in: "PROXY  UNKNOWN\r\n", why: "bad or missing protocol type"},
		{in: "PROXY \n", why: "bad or missing protocol type"},
		{in: "PROXY TCP4 1.2.3.4 4.3.2.1 123 321", why: "missing protocol header terminator"},
		{in: "PROXY TCP4 1.2.3.4\x00 4.3.2.1 123 321\n", why: "missing protocol header terminator"},
		{in: "PROXY\n", why: "short protocol header"},
		{in: "EHLO x\r\n", why: "short protocol header"},
		{in: "", why: "short protocol header"},
		{in: "EHLO client.example.org\r\n", why: "unrecognized protocol header"},
		// Binary form.
		{in: v2sig + "\x21\x11\x00\x0c" + v4body, ep: ep("192.0.2.60", "4321", "192.0.2.1", "25"), length: 28},
		{in: v2sig + "\x21\x11\x00\x14" + v4body + "\x04\x00\x05hello" + "EHLO x\r\n", ep: ep("192.0.2.60", "4321", "192.0.2.1", "25"), length: 36},
		{in: v2sig + "\x21\x11\x00\x0c" + v4body, fam: []bool{false, true}, why: "Postfix IPv4 support is disabled"},
		{in: v2sig + "\x21\x11\x00\x08" + v4body[:8], why: "short address field"},
		{in: v2sig + "\x21\x11\x00\x0c" + v4body[:4], why: "short version 2 protocol header"},
		{in: v2sig + "\x21\x21\x00\x24" + v6body, fam: v4only, why: "Postfix IPv6 support is disabled"},
		{in: v2sig + "\x21\x21\x00\x20" + v6body[:32], why: "short address field"},
		{in: v2sig + "\x21\x21\x00\x24" + v6body, ep: ep("2001:db8::5", "4321", "192.0.2.1", "25"), length: 52},
		{in: v2sig + "\x21\x21\x00\x24" + v6body, fam: []bool{false, true}, ep: ep("2001:db8::5", "4321", "::ffff:192.0.2.1", "25"), length: 52},
		{in: v2sig + "\x21\x21\x00\x24" + compat, ep: ep("::192.0.2.7", "25", "::1", "25"), length: 52},
		{in: v2sig + "\x21\x12\x00\x0c" + v4body, why: "unsupported network protocol"},
		{in: v2sig + "\x21\x31\x00\x0c" + v4body, why: "unsupported network protocol"},
		{in: v2sig + "\x22\x11\x00\x0c" + v4body, why: "bad command in proxy header"},
		{in: v2sig + "\x11\x11\x00\x0c" + v4body, why: "unrecognized protocol version"},
		{in: v2sig + "\x20\x00\x00\x00", local: true, length: 16},
		{in: v2sig + "\x20\x00\x00\x03abcEHLO", local: true, length: 19},
		{in: v2sig[:11] + "X\x21\x11\x00\x0c" + v4body, why: "unrecognized protocol header"},
	} {
		fam := tc.fam
		if fam == nil {
			fam = []bool{true, true}
		}
		h, err := Parse([]byte(tc.in), fam[0], fam[1])
		var why string
		if pe := (*ParseError)(nil); errors.As(err, &pe) {
			why = pe.Why
			if want := tc.why + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Parse(%q): error text %q, want prefix %q", tc.in, err, want)
			}
		} else if err != nil {
			t.Fatalf("Parse(%q): %v is not a *ParseError", tc.in, err)
		}
		want := Header{Endpoints: tc.ep, Local: tc.local, Len: tc.length}
		if why != tc.why || h != want {
			t.Errorf("Parse(%q) = %+v, %q; want %+v, %q", tc.in, h, why, want, tc.why)
		}
	}
}

// TestParseErrorText checks the escaped input behind the complaint, as
// haproxy_srvr_receive logs it.
func TestParseErrorText(t *testing.T) {
	_, err := Parse([]byte("PROXY TCP9 \\ x\r\n\x00\xff"), true, true)
	if want := `bad or missing protocol type: PROXY TCP9 \\ x\r\n\000\377`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

// FuzzParse checks that no input makes the parser fail, claim more
// bytes than it was given, or accept a proxied header without
// endpoints.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"PROXY TCP4 192.0.2.60 192.0.2.1 4321 25\r\n",
		"PROXY TCP6 ::1 ::1 1 1\r\n",
		"PROXY TCP4 010.1.1.1 0.0.0.0 1 1\n",
		v2sig + "\x21\x11\x00\x0c\xc0\x00\x02\x3c\xc0\x00\x02\x01\x10\xe1\x00\x19",
		v2sig + "\x20\x00\x00\x00",
		v2sig + "\x21\x21\x00\x24" + string(make([]byte, 36)),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		h, err := Parse(p, true, true)
		if err != nil {
			return
		}
		if h.Len <= 0 || h.Len > len(p) || h.Len > 0xffff+v2HeaderLen {
			t.Fatalf("length %d of %d bytes", h.Len, len(p))
		}
		if !h.Local && (h.ClientAddr == "" || h.ServerAddr == "" || h.ClientPort == "" || h.ServerPort == "") {
			t.Fatalf("accepted without endpoints: %+v", h)
		}
	})
}

package main

import "testing"

func TestParseProxy(t *testing.T) {
	sc := &screen{ipv4: true}
	tests := []struct {
		in    string
		ep    endpoints
		local bool
		used  int
		why   string
	}{
		{"PROXY TCP4 192.0.2.7 192.0.2.1 4711 25\r\nEHLO", endpoints{"192.0.2.7", "4711", "192.0.2.1", "25"}, false, 40, ""},
		{"PROXY TCP4 192.0.2.7 192.0.2.1 4711 25 extra\r\n", endpoints{"192.0.2.7", "4711", "192.0.2.1", "25"}, false, 46, ""},
		{"PROXY TCP4 192.0.2.7\r\n", endpoints{}, false, 0, "bad or missing server address"},
		{"PROXY TCP6 ::1 ::1 1 2\r\n", endpoints{}, false, 0, "bad or missing protocol type"},
		{"PROXY TCP4 192.0.2.7 192.0.2.1 4711 70000\r\n", endpoints{}, false, 0, "bad or missing server port"},
		{"PROXY TCP4 192.0.2.7 192.0.2.1 x 25\r\n", endpoints{}, false, 0, "bad or missing client port"},
		{"PROXY TCP4 2001:db8::1 192.0.2.1 1 25\r\n", endpoints{}, false, 0, "bad or missing client address"},
		{"PROXY TCP4 192.0.2.7 192.0.2.1 4711 25", endpoints{}, false, 0, "missing protocol header terminator"},
		{"HELO", endpoints{}, false, 0, "short protocol header"},
		{"HELO there, how are you?", endpoints{}, false, 0, "unrecognized protocol header"},
		{"\r\n\r\n\x00\r\nQUIT\n\x20\x00\x00\x00", endpoints{}, true, 16, ""},
		{"\r\n\r\n\x00\r\nQUIT\n\x21\x11\x00\x0c\xc0\x00\x02\x07\xc0\x00\x02\x01\x12\x67\x00\x19", endpoints{"192.0.2.7", "4711", "192.0.2.1", "25"}, false, 28, ""},
		{"\r\n\r\n\x00\r\nQUIT\n\x21\x21\x00\x24" + string(make([]byte, 36)), endpoints{}, false, 0, "Postfix IPv6 support is disabled"},
		{"\r\n\r\n\x00\r\nQUIT\n\x21\x11\x00\x0c\xc0", endpoints{}, false, 0, "short version 2 protocol header"},
		{"\r\n\r\n\x00\r\nQUIT\n\x11\x11\x00\x00", endpoints{}, false, 0, "unrecognized protocol version"},
		{"\r\n\r\n\x00\r\nQUIT\n\x22\x11\x00\x00", endpoints{}, false, 0, "bad command in proxy header"},
	}
	for _, tc := range tests {
		ep, local, used, why := sc.parseProxy([]byte(tc.in))
		if ep != tc.ep || local != tc.local || used != tc.used || why != tc.why {
			t.Errorf("%q: %+v %v %d %q", tc.in, ep, local, used, why)
		}
	}
}

func FuzzParseProxy(f *testing.F) {
	f.Add([]byte("PROXY TCP4 192.0.2.7 192.0.2.1 4711 25\r\n"))
	f.Add([]byte("PROXY TCP6 2001:db8::1 ::1 4711 25\r\n"))
	f.Add([]byte("\r\n\r\n\x00\r\nQUIT\n\x21\x11\x00\x0c\xc0\x00\x02\x07\xc0\x00\x02\x01\x12\x67\x00\x19"))
	sc := &screen{ipv4: true, ipv6: true}
	f.Fuzz(func(t *testing.T, p []byte) {
		_, _, used, why := sc.parseProxy(p)
		if why == "" && (used <= 0 || used > len(p)) {
			t.Fatalf("header length %d of %d bytes", used, len(p))
		}
	})
}

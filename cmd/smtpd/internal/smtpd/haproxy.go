package smtpd

import (
	"net/netip"
	"strings"
)

// readProxyV1 reads a HAProxy version 1 header before the banner
// (smtpd_haproxy.c). On failure it logs Postfix's warning and marks the
// session for the "Server local error" hang-up.
func (ss *Session) readProxyV1() {
	ss.s.timeout = ss.cfg.ProxyTimeout
	defer func() { ss.s.timeout = ss.cfg.Timeout }()
	var line []byte
	status := ss.run(func() {
		for len(line) < 108 {
			c := ss.s.getc()
			line = append(line, c)
			if c == '\n' {
				break
			}
		}
	})
	fail := func(reason string) {
		ss.log.Warnf("haproxy read: %s: %s", reason, escape(line))
		ss.flags |= flagHangup
	}
	if status != 0 {
		fail("timeout error")
		return
	}
	text := string(line)
	// Shorter than a version 2 header: too short for either version.
	if len(line) < 16 || !strings.HasSuffix(text, "\r\n") {
		fail("short protocol header")
		return
	}
	f := strings.Fields(strings.TrimSuffix(text, "\r\n"))
	if len(f) < 1 || f[0] != "PROXY" {
		fail("unrecognized protocol header")
		return
	}
	if len(f) < 2 || (f[1] != "TCP4" && f[1] != "TCP6") || (f[1] == "TCP6" && !ss.cfg.IPv6) {
		fail("bad or missing protocol type")
		return
	}
	if len(f) != 6 {
		fail("bad or missing client address")
		return
	}
	src, err1 := netip.ParseAddr(f[2])
	dst, err2 := netip.ParseAddr(f[3])
	if err1 != nil || (f[1] == "TCP4") != src.Is4() {
		fail("bad or missing client address")
		return
	}
	if err2 != nil {
		fail("bad or missing server address")
		return
	}
	if !allDigits(f[4]) || !allDigits(f[5]) {
		fail("bad or missing client port")
		return
	}
	ss.setClient(Client{Name: "unknown", ReverseName: "unknown", Addr: src.String(), Port: f[4],
		ServerAddr: dst.String(), ServerPort: f[5]})
}

package smtpd

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"strings"
)

// proxyHeaderMax is HAPROXY_HEADER_MAX_LEN: the most bytes looked at.
const proxyHeaderMax = 536

// Version 2 header constants (haproxy_srvr.c PP2_*).
const (
	pp2Signature  = "\r\n\r\n\x00\r\nQUIT\n"
	pp2HeaderLen  = 16
	pp2CmdLocal   = 0x00
	pp2CmdProxy   = 0x01
	pp2TCP4       = 0x11
	pp2TCP6       = 0x21
	pp2AddrLenV4  = 12
	pp2AddrLenV6  = 36
	pp2VersionBit = 0x20
)

// proxyEndpoints are the client and server endpoints a header names.
type proxyEndpoints struct {
	clientAddr, clientPort, serverAddr, serverPort string
}

// readProxy reads a HAProxy version 1 or 2 header before the banner
// (smtpd_haproxy.c, haproxy_srvr_receive): it waits at most
// smtpd_upstream_proxy_timeout for input, looks at what arrived without
// taking it, and consumes exactly the header. On failure it logs
// Postfix's warning and marks the session for the "Server local error"
// hang-up; a version 2 LOCAL header keeps the real endpoints.
func (ss *Session) readProxy() {
	ss.s.timeout = ss.cfg.ProxyTimeout
	defer func() { ss.s.timeout = ss.cfg.Timeout }()
	_, err := ss.s.r.Peek(1)
	switch {
	case err != nil && ioAbort(err) == abortTime:
		ss.log.Warnf("haproxy read: timeout error")
		ss.flags |= flagHangup
		return
	case err != nil:
		ss.log.Warnf("haproxy read: EOF")
		ss.flags |= flagHangup
		return
	}
	buf, _ := ss.s.r.Peek(min(ss.s.r.Buffered(), proxyHeaderMax))
	ep, local, used, why := parseProxy(buf, ss.cfg.IPv4, ss.cfg.IPv6)
	if why != "" {
		ss.log.Warnf("haproxy read: %s: %s", why, escape(buf))
		ss.flags |= flagHangup
		return
	}
	if _, err := ss.s.r.Discard(used); err != nil {
		ss.log.Warnf("haproxy read: %v", err)
		ss.flags |= flagHangup
		return
	}
	if local {
		return
	}
	ss.setClient(Client{Name: "unknown", ReverseName: "unknown", Addr: ep.clientAddr, Port: ep.clientPort,
		ServerAddr: ep.serverAddr, ServerPort: ep.serverPort})
}

// parseProxy is haproxy_srvr_parse: the endpoints of a version 1 or 2
// header, whether it is a version 2 LOCAL header, the header's length,
// or Postfix's complaint.
func parseProxy(p []byte, ipv4, ipv6 bool) (ep proxyEndpoints, local bool, used int, why string) {
	if strings.HasPrefix(string(p), "PROXY ") {
		if ep, used, why = parseProxyV1(cstr(p), ipv4, ipv6); why != "" {
			return proxyEndpoints{}, false, 0, why
		}
		return ep, false, used, why
	}
	return parseProxyV2(p, ipv4, ipv6)
}

// parseProxyV1 parses "PROXY TCP4|TCP6 client server cport sport\r\n".
func parseProxyV1(s string, ipv4, ipv6 bool) (ep proxyEndpoints, used int, why string) {
	nl := strings.IndexByte(s, '\n')
	if nl < 0 {
		return ep, 0, "missing protocol header terminator"
	}
	rest := s[:nl]
	token := func() (string, bool) { // mystrtok(&cp, " \r")
		rest = strings.TrimLeft(rest, " \r")
		if rest == "" {
			return "", false
		}
		t := rest
		if i := strings.IndexAny(rest, " \r"); i >= 0 {
			t, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		return t, true
	}
	if t, ok := token(); !ok || t != "PROXY" {
		return ep, 0, "bad or missing protocol header"
	}
	proto, _ := token()
	v6 := false
	switch {
	case strings.EqualFold(proto, "TCP6") && ipv6:
		v6 = true
	case strings.EqualFold(proto, "TCP4") && ipv4:
	default:
		return ep, 0, "bad or missing protocol type"
	}
	addr := func() (string, bool) {
		t, ok := token()
		if !ok || strings.Contains(t, ":") != v6 {
			return "", false
		}
		a, err := netip.ParseAddr(t)
		if err != nil || a.Zone() != "" {
			return "", false
		}
		return hostAddr(a, ipv4), true
	}
	port := func() (string, bool) {
		t, ok := token()
		if !ok || !validPort(t) {
			return "", false
		}
		return t, true
	}
	var ok bool
	if ep.clientAddr, ok = addr(); !ok {
		return ep, 0, "bad or missing client address"
	}
	if ep.serverAddr, ok = addr(); !ok {
		return ep, 0, "bad or missing server address"
	}
	if ep.clientPort, ok = port(); !ok {
		return ep, 0, "bad or missing client port"
	}
	if ep.serverPort, ok = port(); !ok {
		return ep, 0, "bad or missing server port"
	}
	return ep, nl + 1, ""
}

// validPort is valid_hostport: decimal, no leading zero, at most 65535.
func validPort(s string) bool {
	if s == "" || len(s) > 5 || (s[0] == '0' && len(s) > 1) || !allDigits(s) {
		return false
	}
	n, err := strconv.Atoi(s)
	return err == nil && n <= 65535
}

// hostAddr prints an address as Postfix does: IPv4-mapped IPv6
// addresses lose their "::ffff:" prefix while IPv4 is enabled.
func hostAddr(a netip.Addr, ipv4 bool) string {
	if a.Is4In6() && ipv4 {
		return a.Unmap().String()
	}
	return a.String()
}

// parseProxyV2 parses the binary header; type-length-value extensions
// are skipped, as Postfix does.
func parseProxyV2(p []byte, ipv4, ipv6 bool) (ep proxyEndpoints, local bool, used int, why string) {
	if len(p) < pp2HeaderLen {
		return ep, false, 0, "short protocol header"
	}
	if string(p[:12]) != pp2Signature {
		return ep, false, 0, "unrecognized protocol header"
	}
	if p[12]&0xf0 != pp2VersionBit {
		return ep, false, 0, "unrecognized protocol version"
	}
	n := int(binary.BigEndian.Uint16(p[14:16]))
	if len(p) < pp2HeaderLen+n {
		return ep, false, 0, "short version 2 protocol header"
	}
	body := p[pp2HeaderLen:]
	port := func(b []byte) string { return strconv.Itoa(int(binary.BigEndian.Uint16(b))) }
	switch p[12] & 0x0f {
	case pp2CmdProxy:
		switch p[13] {
		case pp2TCP4:
			if !ipv4 {
				return ep, false, 0, "Postfix IPv4 support is disabled"
			}
			if n < pp2AddrLenV4 {
				return ep, false, 0, "short address field"
			}
			src, _ := netip.AddrFromSlice(body[0:4])
			dst, _ := netip.AddrFromSlice(body[4:8])
			ep = proxyEndpoints{src.String(), port(body[8:10]), dst.String(), port(body[10:12])}
		case pp2TCP6:
			if !ipv6 {
				return ep, false, 0, "Postfix IPv6 support is disabled"
			}
			if n < pp2AddrLenV6 {
				return ep, false, 0, "short address field"
			}
			src, _ := netip.AddrFromSlice(body[0:16])
			dst, _ := netip.AddrFromSlice(body[16:32])
			ep = proxyEndpoints{hostAddr(src, ipv4), port(body[32:34]), hostAddr(dst, ipv4), port(body[34:36])}
		default:
			return ep, false, 0, "unsupported network protocol"
		}
		return ep, false, pp2HeaderLen + n, ""
	case pp2CmdLocal:
		return ep, true, pp2HeaderLen + n, ""
	}
	return ep, false, 0, "bad command in proxy header"
}

package main

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/util/dict"
)

// proxyHeaderMax is HAPROXY_HEADER_MAX_LEN.
const proxyHeaderMax = 536

// readProxy reads the HAProxy header in front of the SMTP session
// (psc_endpt_haproxy_lookup): versions 1 and 2, peeked first and then
// consumed exactly, within postscreen_upstream_proxy_timeout.
func (sc *screen) readProxy(c net.Conn) {
	sys, ok := c.(syscall.Conn)
	if !ok {
		sc.connected(c, endpoints{}, false)
		return
	}
	raw, err := sys.SyscallConn()
	if err != nil {
		sc.connected(c, endpoints{}, false)
		return
	}
	go func() {
		c.SetReadDeadline(time.Now().Add(sc.cfg.uproxyTimeout))
		buf := make([]byte, proxyHeaderMax)
		n, err := peek(raw, buf)
		c.SetReadDeadline(time.Time{})
		sc.mu.Lock()
		defer sc.mu.Unlock()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			sc.log.Warnf("haproxy read: time limit exceeded")
			sc.connected(c, endpoints{}, false)
			return
		}
		if err != nil || n <= 0 {
			sc.log.Warnf("haproxy read: EOF")
			sc.connected(c, endpoints{}, false)
			return
		}
		ep, local, used, why := sc.parseProxy(buf[:n])
		if why != "" {
			sc.log.Warnf("haproxy read: %s: %s", why, escape(buf[:n]))
			sc.connected(c, endpoints{}, false)
			return
		}
		if got, err := consume(raw, used); got != used {
			if err == nil {
				err = syscall.EIO
			}
			sc.log.Warnf("haproxy read: %s", dict.ErrnoText(err))
			sc.connected(c, endpoints{}, false)
			return
		}
		if local {
			ep, ok := sc.localEndpoints(c)
			sc.connected(c, ep, ok)
			return
		}
		sc.connected(c, ep, true)
	}()
}

// parseProxy parses a header (haproxy_srvr_parse): the endpoints, whether
// it is a v2 LOCAL header (use the real endpoints), its length, or
// Postfix's complaint.
func (sc *screen) parseProxy(p []byte) (ep endpoints, local bool, used int, why string) {
	if strings.HasPrefix(string(p), "PROXY ") {
		if ep, used, why = sc.parseProxyV1(string(p)); why != "" {
			return endpoints{}, false, 0, why
		}
		return ep, false, used, why
	}
	return sc.parseProxyV2(p)
}

func (sc *screen) parseProxyV1(s string) (ep endpoints, used int, why string) {
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
	var v6 bool
	switch {
	case strings.EqualFold(proto, "TCP6") && sc.ipv6:
		v6 = true
	case strings.EqualFold(proto, "TCP4") && sc.ipv4:
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
		return sc.hostAddr(a), true
	}
	port := func() (string, bool) {
		t, ok := token()
		if !ok || t == "" || len(t) > 5 || strings.Trim(t, "0123456789") != "" {
			return "", false
		}
		if n, err := strconv.Atoi(t); err != nil || n > 65535 {
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

// Version 2 header layout (haproxy's connection.h).
const (
	pp2Signature = "\r\n\r\n\x00\r\nQUIT\n"
	pp2HeaderLen = 16
)

func (sc *screen) parseProxyV2(p []byte) (ep endpoints, local bool, used int, why string) {
	if len(p) < pp2HeaderLen {
		return ep, false, 0, "short protocol header"
	}
	if string(p[:12]) != pp2Signature {
		return ep, false, 0, "unrecognized protocol header"
	}
	if p[12]&0xf0 != 0x20 {
		return ep, false, 0, "unrecognized protocol version"
	}
	n := int(binary.BigEndian.Uint16(p[14:16]))
	if len(p) < pp2HeaderLen+n {
		return ep, false, 0, "short version 2 protocol header"
	}
	body := p[pp2HeaderLen:]
	switch p[12] & 0x0f {
	case 0x01: // PROXY
		switch p[13] {
		case 0x11: // TCP over IPv4
			if !sc.ipv4 {
				return ep, false, 0, "Postfix IPv4 support is disabled"
			}
			if n < 12 {
				return ep, false, 0, "short address field"
			}
			src, _ := netip.AddrFromSlice(body[0:4])
			dst, _ := netip.AddrFromSlice(body[4:8])
			ep = endpoints{src.String(), strconv.Itoa(int(binary.BigEndian.Uint16(body[8:10]))),
				dst.String(), strconv.Itoa(int(binary.BigEndian.Uint16(body[10:12])))}
		case 0x21: // TCP over IPv6
			if !sc.ipv6 {
				return ep, false, 0, "Postfix IPv6 support is disabled"
			}
			if n < 36 {
				return ep, false, 0, "short address field"
			}
			src, _ := netip.AddrFromSlice(body[0:16])
			dst, _ := netip.AddrFromSlice(body[16:32])
			ep = endpoints{sc.hostAddr(src), strconv.Itoa(int(binary.BigEndian.Uint16(body[32:34]))),
				sc.hostAddr(dst), strconv.Itoa(int(binary.BigEndian.Uint16(body[34:36])))}
		default:
			return ep, false, 0, "unsupported network protocol"
		}
		return ep, false, pp2HeaderLen + n, ""
	case 0x00: // LOCAL
		return ep, true, pp2HeaderLen + n, ""
	}
	return ep, false, 0, "bad command in proxy header"
}

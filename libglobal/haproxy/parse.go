package haproxy

import (
	"encoding/binary"
	"strconv"
	"strings"

	"gopostfix/libglobal/util/stringops"
	"gopostfix/libglobal/util/validhost"
)

// HeaderMax is HAPROXY_HEADER_MAX_LEN: the most bytes a header may take
// and the most the reader looks at.
const HeaderMax = 536

// Endpoints are the client and server a header names, printed as
// Postfix prints them.
type Endpoints struct {
	ClientAddr, ClientPort, ServerAddr, ServerPort string
}

// Header is a parsed header. Local is a version 2 LOCAL command (a
// health check or similar: the connection's own endpoints apply, and
// Endpoints is empty). Len is how many bytes the header takes.
type Header struct {
	Endpoints
	Local bool
	Len   int
}

// ParseError is a refused header: Why is Postfix's complaint and Data
// what was looked at.
type ParseError struct {
	Why  string
	Data []byte
}

// Error is the text Postfix logs after "haproxy read: ": the complaint
// and the escaped input.
func (e *ParseError) Error() string { return e.Why + ": " + stringops.Escape(e.Data) }

// Parse parses the header at the start of p (haproxy_srvr_parse). ipv4
// and ipv6 say which address families inet_protocols enables. A
// *ParseError is returned when the header is refused.
func Parse(p []byte, ipv4, ipv6 bool) (Header, error) {
	var h Header
	var why string
	if strings.HasPrefix(string(p), "PROXY ") {
		h.Endpoints, h.Len, why = parseV1(cstr(p), ipv4, ipv6)
	} else {
		h, why = parseV2(p, ipv4, ipv6)
	}
	if why != "" {
		return Header{}, &ParseError{Why: why, Data: p}
	}
	return h, nil
}

// cstr is p up to its first NUL: Postfix copies the text form with
// mystrndup, which stops there.
func cstr(p []byte) string {
	if i := strings.IndexByte(string(p), 0); i >= 0 {
		return string(p[:i])
	}
	return string(p)
}

// parseV1 parses "PROXY TCP4|TCP6 client server cport sport" up to and
// including the first newline.
func parseV1(s string, ipv4, ipv6 bool) (ep Endpoints, used int, why string) {
	line, _, found := strings.Cut(s, "\n")
	if !found {
		return ep, 0, "missing protocol header terminator"
	}
	tokens := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\r' })
	token := func(i int) string {
		if i < len(tokens) {
			return tokens[i]
		}
		return ""
	}
	if token(0) != "PROXY" {
		return ep, 0, "bad or missing protocol header"
	}
	var v6 bool
	switch proto := token(1); {
	case strings.EqualFold(proto, "TCP6") && ipv6:
		v6 = true
	case strings.EqualFold(proto, "TCP4") && ipv4:
	default:
		return ep, 0, "bad or missing protocol type"
	}
	var ok bool
	if ep.ClientAddr, ok = textAddr(token(2), v6, ipv4); !ok {
		return ep, 0, "bad or missing client address"
	}
	if ep.ServerAddr, ok = textAddr(token(3), v6, ipv4); !ok {
		return ep, 0, "bad or missing server address"
	}
	if ep.ClientPort = token(4); !validhost.Port(ep.ClientPort) {
		return ep, 0, "bad or missing client port"
	}
	if ep.ServerPort = token(5); !validhost.Port(ep.ServerPort) {
		return ep, 0, "bad or missing server port"
	}
	return ep, len(line) + 1, ""
}

// Version 2 header layout (haproxy's connection.h, as haproxy_srvr.c
// copies it).
const (
	v2Signature   = "\r\n\r\n\x00\r\nQUIT\n"
	v2HeaderLen   = 16
	v2Version     = 0x20
	v2CmdLocal    = 0x00
	v2CmdProxy    = 0x01
	v2TCP4        = 0x11 // AF_INET, stream
	v2TCP6        = 0x21 // AF_INET6, stream
	v2AddrLenIPv4 = 4 + 4 + 2 + 2
	v2AddrLenIPv6 = 16 + 16 + 2 + 2
)

// parseV2 parses the binary header.
func parseV2(p []byte, ipv4, ipv6 bool) (h Header, why string) {
	if len(p) < v2HeaderLen {
		return h, "short protocol header"
	}
	if string(p[:len(v2Signature)]) != v2Signature {
		return h, "unrecognized protocol header"
	}
	if p[12]&0xf0 != v2Version {
		return h, "unrecognized protocol version"
	}
	n := int(binary.BigEndian.Uint16(p[14:16]))
	if len(p) < v2HeaderLen+n {
		return h, "short version 2 protocol header"
	}
	h.Len = v2HeaderLen + n
	body := p[v2HeaderLen:]
	port := func(b []byte) string { return strconv.Itoa(int(binary.BigEndian.Uint16(b))) }
	switch p[12] & 0x0f {
	case v2CmdLocal:
		h.Local = true
		return h, ""
	case v2CmdProxy:
	default:
		return Header{}, "bad command in proxy header"
	}
	switch p[13] {
	case v2TCP4:
		if !ipv4 {
			return Header{}, "Postfix IPv4 support is disabled"
		}
		if n < v2AddrLenIPv4 {
			return Header{}, "short address field"
		}
		h.Endpoints = Endpoints{binAddr(body[0:4], ipv4), port(body[8:10]), binAddr(body[4:8], ipv4), port(body[10:12])}
	case v2TCP6:
		if !ipv6 {
			return Header{}, "Postfix IPv6 support is disabled"
		}
		if n < v2AddrLenIPv6 {
			return Header{}, "short address field"
		}
		h.Endpoints = Endpoints{binAddr(body[0:16], ipv4), port(body[32:34]), binAddr(body[16:32], ipv4), port(body[34:36])}
	default:
		return Header{}, "unsupported network protocol"
	}
	return h, ""
}

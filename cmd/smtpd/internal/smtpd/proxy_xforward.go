package smtpd

import (
	"cmp"
	"fmt"
	"gopostfix/libglobal/xtext"
	"strings"
)

// XFORWARD attributes a before-queue filter can announce, in the order
// they are sent.
var proxyXforwardAttrs = []string{"NAME", "ADDR", "PORT", "HELO", "IDENT", "PROTO", "SOURCE"}

// proxyXforwardLimit is how much attribute text one XFORWARD command
// carries: what fits a 512-byte line with "250 XFORWARD" and CRLF.
const proxyXforwardLimit = 512 - len("250 XFORWARD\r\n")

// xforwardFeatures reads the XFORWARD attributes a filter's EHLO reply
// announces (case-insensitive), as a bit per proxyXforwardAttrs entry.
func xforwardFeatures(ehloReply string) int {
	mask := 0
	for _, line := range strings.Split(ehloReply, "\r\n") {
		// The reply code ends at '-' or space; the keyword and its
		// parameters are separated by blanks.
		rest := strings.TrimLeft(line, "- ")
		i := strings.IndexAny(rest, "- ")
		if i < 0 {
			continue
		}
		kw := strings.FieldsFunc(rest[i+1:], func(r rune) bool { return r == ' ' || r == '\t' })
		if len(kw) == 0 || !strings.EqualFold(kw[0], "XFORWARD") {
			continue
		}
		for _, w := range kw[1:] {
			for i, a := range proxyXforwardAttrs {
				if strings.EqualFold(w, a) {
					mask |= 1 << i
				}
			}
		}
	}
	return mask
}

// proxyXforward sends what the filter wants to know of the client: the
// forwarded identity if the client sent XFORWARD itself, else the
// session's; "[UNAVAILABLE]" for what is not known. Attributes are
// packed into as few commands as fit the line limit.
func (ss *Session) proxyXforward(features int) bool {
	xf := &ss.xforward
	c := &ss.client
	avail := func(v string) bool { return v != "" && v != "unknown" }
	domain := "REMOTE"
	if xf.domain == rewriteLocal || (xf.domain == "" && cmp.Or(ss.rewriteContext, rewriteLocal) == rewriteLocal) {
		domain = "LOCAL"
	}
	helo := xf.forwardOr(xf.helo, ss.heloName)
	ident := cmp.Or(xf.ident, ss.queueID)
	var values []string
	add := func(ok bool, v string) {
		if !ok {
			v = "[UNAVAILABLE]"
		}
		values = append(values, v)
	}
	name, addr := xf.forwardOr(xf.name, c.Name), xf.forwardOr(xf.rfcAddr, ss.rfcAddr())
	port, proto := xf.forwardOr(xf.port, c.Port), xf.forwardOr(xf.proto, ss.protocol)
	add(avail(name), name)
	add(avail(addr), addr)
	add(avail(port), port)
	add(helo != "", helo)
	add(ident != "", ident)
	add(avail(proto), proto)
	add(true, domain)
	var buf strings.Builder
	for i, attr := range proxyXforwardAttrs {
		if features&(1<<i) == 0 {
			continue
		}
		value := values[i]
		quoted := xtext.Quote(value, "")
		n := len(attr) + len(quoted) + 2
		if n > proxyXforwardLimit {
			ss.log.Warnf("XFORWARD command payload %s=%s... exceeds SMTP protocol limit", attr, truncate(value, 10))
		}
		if buf.Len() > 0 && buf.Len()+n > proxyXforwardLimit {
			if !ss.proxySend(proxyWantOK, "XFORWARD"+buf.String()) {
				return false
			}
			buf.Reset()
		}
		fmt.Fprintf(&buf, " %s=%s", attr, quoted)
	}
	if buf.Len() > 0 {
		return ss.proxySend(proxyWantOK, "XFORWARD"+buf.String())
	}
	return true
}

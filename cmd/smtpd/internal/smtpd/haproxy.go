package smtpd

import "gopostfix/libglobal/haproxy"

// readProxy reads a HAProxy version 1 or 2 header before the banner
// (smtpd_haproxy.c, haproxy_srvr_receive): it waits at most
// smtpd_upstream_proxy_timeout for input, looks at what arrived without
// taking it (at most haproxy.HeaderMax bytes), parses it with
// libglobal/haproxy and consumes exactly the header. On failure it logs
// Postfix's warning and marks the session for the "Server local error"
// hang-up; a version 2 LOCAL header keeps the real endpoints.
func (ss *Session) readProxy() {
	// The header is read before the SMTP stream is set up: one plain
	// time limit, no per-request deadline.
	ss.s.timeout, ss.s.deadline = ss.cfg.ProxyTimeout, false
	defer func() { ss.s.timeout, ss.s.deadline = ss.cfg.Timeout, ss.cfg.ReqDeadline }()
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
	buf, _ := ss.s.r.Peek(min(ss.s.r.Buffered(), haproxy.HeaderMax))
	h, err := haproxy.Parse(buf, ss.cfg.IPv4, ss.cfg.IPv6)
	if err != nil {
		ss.log.Warnf("haproxy read: %v", err)
		ss.flags |= flagHangup
		return
	}
	if _, err := ss.s.r.Discard(h.Len); err != nil {
		ss.log.Warnf("haproxy read: %v", err)
		ss.flags |= flagHangup
		return
	}
	if h.Local {
		return
	}
	ss.setClient(Client{Name: "unknown", ReverseName: "unknown", Addr: h.ClientAddr, Port: h.ClientPort,
		ServerAddr: h.ServerAddr, ServerPort: h.ServerPort})
}

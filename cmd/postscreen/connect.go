package main

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
)

// endpoints of a connection, as text (MAI_HOSTADDR_STR, MAI_SERVPORT_STR).
type endpoints struct {
	clientAddr, clientPort, serverAddr, serverPort string
}

// localEndpoints reads the connection's own addresses
// (psc_endpt_local_lookup); IPv4-mapped IPv6 addresses lose their
// "::ffff:" prefix when IPv4 is enabled.
func (sc *screen) localEndpoints(c net.Conn) (endpoints, bool) {
	ra, ok1 := c.RemoteAddr().(*net.TCPAddr)
	la, ok2 := c.LocalAddr().(*net.TCPAddr)
	if !ok1 || !ok2 {
		sc.log.Warnf("getpeername: Transport endpoint is not connected -- dropping this connection")
		return endpoints{}, false
	}
	return endpoints{sc.hostAddr(ra.AddrPort().Addr()), strconv.Itoa(ra.Port),
		sc.hostAddr(la.AddrPort().Addr()), strconv.Itoa(la.Port)}, true
}

// hostAddr prints an address as sockaddr_to_hostaddr does, without a
// v4-mapped prefix when IPv4 is on.
func (sc *screen) hostAddr(a netip.Addr) string {
	a = a.WithZone("")
	if a.Is4In6() {
		if sc.ipv4 {
			return a.Unmap().String()
		}
		return "::ffff:" + a.Unmap().String()
	}
	return a.String()
}

// serve takes a new client (psc_service): find its endpoints, directly
// or from the PROXY header, then screen it.
func (sc *screen) serve(c net.Conn) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	switch strings.TrimSpace(sc.cfg.uproxyProto) {
	case "":
		ep, ok := sc.localEndpoints(c)
		sc.connected(c, ep, ok)
	case "haproxy":
		sc.readProxy(c)
	default:
		sc.log.Fatalf("unsupported postscreen_upstream_proxy_protocol value: %s", sc.cfg.uproxyProto)
	}
}

// connected screens a client whose endpoints are known
// (psc_endpt_lookup_done): connection limits, the permanent access list,
// the temporary allowlist (cache), then the tests that are due.
func (sc *screen) connected(c net.Conn, ep endpoints, ok bool) {
	if !ok {
		if sys, isSys := c.(syscall.Conn); isSys {
			if raw, err := sys.SyscallConn(); err == nil {
				writeNow(raw, []byte("421 4.3.2 No system resources\r\n"))
			}
		}
		sc.srv.Disconnect(c)
		return
	}
	sc.log.Debugf("psc_endpt_lookup_done: sq=%d cq=%d connect from [%s]:%s", sc.postQueue, sc.checkQueue, ep.clientAddr, ep.clientPort)
	sc.log.Infof("CONNECT from [%s]:%s to [%s]:%s", ep.clientAddr, ep.clientPort, ep.serverAddr, ep.serverPort)
	s := sc.newSession(c, ep.clientAddr, ep.clientPort, ep.serverAddr, ep.serverPort)
	cfg := sc.cfg
	if cfg.cconnLimit > 0 && s.info.concurrency > cfg.cconnLimit {
		sc.log.Infof("NOQUEUE: reject: CONNECT from [%s]:%s: too many connections", s.clientAddr, s.clientPort)
		s.drop("421 4.7.0 Error: too many connections\r\n")
		return
	}
	if cfg.postQueueLimit > 0 && sc.postQueue >= cfg.postQueueLimit {
		sc.log.Infof("NOQUEUE: reject: CONNECT from [%s]:%s: all server ports busy", s.clientAddr, s.clientPort)
		s.drop("421 4.3.2 All server ports are busy\r\n")
		return
	}
	if sc.acl != nil && !sc.applyAccessList(s) {
		return
	}
	switch {
	case s.flags&mAnyFail == 0 && s.info.concurrency == 1 && sc.cache != nil:
		var entry string
		var found bool
		sc.timed(&sc.latency.cacheLookup, sc.cache.Name(), "lookup", func() {
			entry, found, _ = sc.cache.Lookup(s.clientAddr)
		})
		if found {
			saved := s.flags
			sc.parseTests(s, entry, now())
			s.flags |= saved
			s.verbosef("psc_endpt_lookup_done: cached + recent flags: %s", flagString(s.flags))
			if s.flags&mTodoFail == 0 {
				sc.log.Infof("PASS OLD [%s]:%s", s.clientAddr, s.clientPort)
				s.conclude()
				return
			}
		} else {
			sc.freshTests(s)
		}
	case s.info.concurrency > 1:
		saved := s.flags
		sc.todoTests(s, now())
		s.flags |= saved
		s.verbosef("psc_endpt_lookup_done: new + recent flags: %s", flagString(s.flags))
	default:
		sc.freshTests(s)
	}
	if ok, _ := sc.allowlistIf.Match(s.serverAddr); !ok {
		s.flags |= fAllistFail | fNoForward
		sc.log.Infof("%s VETO [%s]:%s", sc.listed("ALLOWLIST", "WHITELIST"), s.clientAddr, s.clientPort)
	}
	if cfg.preQueueLimit > 0 && sc.checkQueue-sc.postQueue >= cfg.preQueueLimit {
		sc.log.Infof("reject: connect from [%s]:%s: all screening ports busy", s.clientAddr, s.clientPort)
		s.drop("421 4.3.2 All screening ports are busy\r\n")
		return
	}
	switch {
	case s.flags&mEarlyTodo != 0:
		s.earlyTests()
	case s.flags&(mSmtpdTodo|fNoForward) != 0:
		s.smtpdTests()
	default:
		s.conclude()
	}
}

// freshTests starts a client without cache entry (psc_new_tests), keeping
// the flags the access list set.
func (sc *screen) freshTests(s *session) {
	saved := s.flags
	sc.newTests(s)
	s.flags |= saved
	s.verbosef("psc_endpt_lookup_done: new + recent flags: %s", flagString(s.flags))
}

// listed picks the respectful or the traditional word.
func (sc *screen) listed(respectful, old string) string {
	if sc.cfg.respectful {
		return respectful
	}
	return old
}

// applyAccessList runs postscreen_access_list; it reports whether the
// session goes on.
func (sc *screen) applyAccessList(s *session) bool {
	switch sc.acl.eval(s.clientAddr) {
	case aclReject:
		sc.log.Infof("%sED [%s]:%s", sc.listed("DENYLIST", "BLACKLIST"), s.clientAddr, s.clientPort)
		s.fail(fDnlistFail)
		switch sc.cfg.dnlistAction {
		case actDrop:
			s.drop("521 5.3.2 Service currently unavailable\r\n")
			return false
		case actEnforce:
			s.enforce("550 5.3.2 Service currently unavailable\r\n")
		case actIgnore:
			s.unfail(fDnlistFail)
		}
	case aclPermit:
		sc.log.Infof("%sED [%s]:%s", sc.listed("ALLOWLIST", "WHITELIST"), s.clientAddr, s.clientPort)
		s.conclude()
		return false
	}
	return true
}

package main

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/dsn"
)

// connect delivers the request: every nexthop element in turn, then
// the fallback relays, until no recipient is left (smtp_connect).
func (st *state) connect() int {
	dest := st.req.Nexthop
	if st.ag.cfg.lmtp {
		switch {
		case strings.HasPrefix(dest, "unix:"):
			st.connectLocal(dest[len("unix:"):])
		case strings.HasPrefix(dest, "inet:"):
			st.connectInet(dest[len("inet:"):], st.ag.cfg.tcpPort)
		default:
			st.connectInet(dest, st.ag.cfg.tcpPort)
		}
	} else {
		st.connectInet(dest, st.ag.cfg.tcpPort)
	}
	if st.left > 0 {
		st.flags |= flagFinalServer
		st.sessFail()
		st.rcptCleanup()
		if st.left > 0 {
			panic("smtp_connect: left-over recipients")
		}
	}
	return st.status
}

// connectLocal delivers over a UNIX-domain socket (LMTP only).
func (st *state) connectLocal(path string) {
	cfg := st.ag.cfg
	if cfg.fallback != "" {
		st.ag.log.Warnf("ignoring \"%s = %s\" setting for non-TCP connections", st.ag.par.name("smtp_fallback_relay"), cfg.fallback)
	}
	st.cachePolicy(path)
	if st.flags&flagConnCacheMask != 0 {
		st.cacheNexthop = path
	}
	st.it = iterator{dest: path, host: cfg.myhostname, addr: path}
	if !st.tlsPolicyLookup() {
		st.ag.log.Warnf("TLS policy lookup error for %s/%s: %s", st.it.host, st.it.addr, st.why.Reason)
		return
	}
	var s *session
	if st.flags&flagConnLoad != 0 {
		s = st.reuseNexthop()
	}
	if s == nil {
		s = st.dial("unix", path)
	}
	if st.sess = s; s != nil {
		s.tlsNexthop = cfg.myhostname
		if st.tls != nil && st.tls.level == tlsMay {
			st.ag.log.Warnf("smtp_connect_local: opportunistic TLS encryption is not appropriate for unix-domain destinations.")
			st.tls.level = tlsNone
		}
		st.flags |= flagFinalServer
		st.runSession()
		st.cleanupSession()
	}
	st.cacheNexthop = ""
}

// runSession does EHLO (for a new session) and the mail transfer, or
// QUIT after a failed handshake.
func (st *state) runSession() {
	s := st.sess
	if s.features&featFromCache == 0 && st.helo() != 0 {
		if !s.forbidden && s.st.err == nil {
			st.quit()
		}
		return
	}
	st.xfer()
}

// connectInet delivers over TCP (smtp_connect_inet).
func (st *state) connectInet(nexthop, defService string) {
	cfg := st.ag.cfg
	if len(cfg.inetProtocols) == 0 {
		st.setWhy("4.4.4", "all network protocols are disabled")
		return
	}
	sites := splitWords(nexthop)
	if len(sites) == 0 {
		panic(fmt.Sprintf("null destination: \"%s\"", nexthop))
	}
	nonFallback := len(sites)
	sites = append(sites, splitWords(cfg.fallback)...)
	retryPlain := false
	cur := -1
	st.flags |= flagFirstNexthop
	for i := 0; st.left > 0 && i < len(sites); i, st.flags = i+1, st.flags&^flagFirstNexthop {
		cur = i
		dest := sites[i]
		if i == len(sites)-1 {
			st.flags |= flagFinalNexthop
		}
		d, err := parseDestination(dest, defService)
		if err != nil {
			st.ag.fatal("%v", err)
		}
		if cfg.helpful && !cfg.tls.wrapperMode && d.port == 465 {
			st.ag.log.Infof("SMTPS wrappermode (TCP port 465) requires setting \"%s = yes\", and \"%s = encrypt\" (or stronger)",
				st.ag.par.name("smtp_tls_wrappermode"), st.ag.par.name("smtp_tls_security_level"))
		}
		st.it = iterator{dest: dest, port: d.port}
		lookupMX := false
		if !cfg.lmtp {
			if d.port == 25 {
				st.flags |= flagLoopDetect
			} else {
				st.flags &^= flagLoopDetect
			}
			lookupMX = cfg.dnsSupport != dnsDisabled && !strings.HasPrefix(dest, "[")
		}
		var list []addrRR
		if !lookupMX {
			list = st.hostAddr(d.host)
		} else {
			var iAmMX bool
			list, iAmMX = st.domainAddr(d.host)
			if iAmMX {
				st.flags |= flagFinalNexthop
			}
		}
		if len(list) == 0 && st.hasLoop() {
			st.flags |= flagFinalNexthop
		}
		bestPref := 0
		if len(list) > 0 {
			bestPref = list[0].pref
		}
		if len(list) > 0 && st.flags&flagFirstNexthop != 0 {
			st.cachePolicy(d.host)
			if st.flags&flagConnCacheMask != 0 {
				st.cacheNexthop = dest
			}
		}
		sessCount, addrCount := 0, 0
		if len(list) > 0 && st.flags&flagConnLoad != 0 {
			list = st.scrubAddrs(list)
			sessCount = st.reuseSessions(&list, bestPref)
			addrCount = sessCount
		}
		for j := 0; st.left > 0 && j < len(list); j++ {
			a := list[j]
			last := j == len(list)-1
			if addrCount++; addrCount == cfg.mxAddrLimit {
				last = true
			}
			st.it.addr, st.it.host, st.it.hostDNSSEC = a.addr.String(), st.hostName(a), a.dnssec
			if !st.tlsPolicyLookup() {
				st.ag.log.Warnf("TLS policy lookup for %s/%s: %s", st.it.dest, st.it.host, st.why.Reason)
				if last {
					break
				}
				continue
			}
			if cfg.tls.wrapperMode && st.tls.level < tlsEncrypt {
				st.ag.log.Warnf("%s requires \"%s = encrypt\" (or stronger)",
					st.ag.par.name("smtp_tls_wrappermode"), st.ag.par.name("smtp_tls_security_level"))
				if last {
					break
				}
				continue
			}
			if retryPlain {
				st.tls.level = tlsNone
				retryPlain = false
			}
			var s *session
			if st.flags&flagConnLoad != 0 && a.pref != bestPref {
				s = st.reuseAddr()
			}
			if s == nil {
				s = st.dial("tcp", netAddr(a.addr, d.port))
			}
			if st.sess = s; s == nil {
				st.ag.log.Infof("%s", st.why.Reason)
			} else {
				s.tlsNexthop = d.host
				if a.pref == bestPref {
					s.features |= featBestMX
				}
				if st.flags&flagFinalNexthop != 0 && last {
					st.flags |= flagFinalServer
				}
				if s.features&featFromCache == 0 && st.helo() != 0 {
					if retryPlain = s.tlsRetryPlain; retryPlain {
						addrCount--
						j--
						last = false
					}
					if !s.forbidden && s.st.err == nil {
						st.quit()
					}
				} else {
					if sessCount++; sessCount == cfg.mxSessLimit {
						last = true
					}
					if st.flags&flagFinalNexthop != 0 && last {
						st.flags |= flagFinalServer
					}
					st.xfer()
					if retryPlain = s.tlsRetryPlain; retryPlain {
						sessCount--
						addrCount--
						j--
						last = false
					}
				}
				st.cleanupSession()
			}
			if last {
				break
			}
		}
		if st.flags&flagFinalNexthop != 0 {
			break
		}
	}
	if st.left > 0 {
		switch {
		case st.why.Status == "":
			st.setWhy("4.3.0", "server unavailable or unable to receive mail")
		case !st.hasSoft():
			switch {
			case cur >= nonFallback:
				st.ag.log.Warnf("%s configuration problem", st.ag.par.name("smtp_fallback_relay"))
				st.why.Status = "4.3.5"
			case !cfg.lmtp && sites[0] == cfg.relayhost:
				st.ag.log.Warnf("relayhost configuration problem")
				st.why.Status = "4.3.5"
			case !cfg.lmtp && st.hasLoop() && cfg.bestMXTrans != "":
				st.why = dsn.DSN{}
				st.status = st.passAll(cfg.bestMXTrans)
				st.left = 0
			}
		}
	}
	st.cacheNexthop = ""
}

// hostName is the server name to show: the name looked up (or its
// CNAME target with smtp_cname_overrides_servername).
func (st *state) hostName(a addrRR) string { return a.host }

// netAddr is "addr:port" for net.Dial.
func netAddr(a netip.Addr, port int) string {
	return net.JoinHostPort(a.String(), strconv.Itoa(port))
}

// dial connects to the current server (smtp_connect_addr,
// smtp_connect_unix, smtp_connect_sock); a failure sets st.why.
func (st *state) dial(network, address string) *session {
	cfg := st.ag.cfg
	start := time.Now()
	d := net.Dialer{Timeout: cfg.connectTimeout}
	if network == "tcp" {
		if local := st.bindAddr(); local != nil {
			d.LocalAddr = local
		}
	}
	c, err := d.Dial(network, address)
	if err != nil {
		text := errnoText(err)
		if st.it.port != 0 {
			st.setWhy("4.4.1", fmt.Sprintf("connect to %s[%s]:%d: %s", st.it.host, st.it.addr, st.it.port, text))
		} else {
			st.setWhy("4.4.1", fmt.Sprintf("connect to %s[%s]: %s", st.it.host, st.it.addr, text))
		}
		return nil
	}
	s := newSession(newStream(c), st.ag.log, st.it.host, st.it.addr, st.it.port, start,
		st.flags&flagConnStore != 0, cfg.reuseTimeLimit)
	st.ag.prepareSession(s, st.req.QueueID)
	return s
}

// bindAddr is smtp_bind_address (or smtp_bind_address6) for the current
// server's address family.
func (st *state) bindAddr() net.Addr {
	cfg := st.ag.cfg
	a, err := netip.ParseAddr(st.it.addr)
	if err != nil {
		return nil
	}
	v := cfg.bindAddr
	if a.Is6() {
		v = cfg.bindAddr6
	}
	v = strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")
	if v == "" {
		return nil
	}
	ip, err := netip.ParseAddr(v)
	if err != nil {
		st.ag.fatal("smtp_connect_addr: bad %s parameter: %s", st.ag.par.name("smtp_bind_address"), v)
	}
	return &net.TCPAddr{IP: ip.AsSlice()}
}

// errnoText is %m for a connect error.
func errnoText(err error) string {
	var errno syscall.Errno
	for e := err; e != nil; {
		if x, ok := e.(syscall.Errno); ok {
			errno = x
			break
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			break
		}
		e = u.Unwrap()
	}
	if errno != 0 {
		return strerror(errno)
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return "Connection timed out"
	}
	return err.Error()
}

// strerror is glibc's text for an errno, which Go spells in lower case.
func strerror(e syscall.Errno) string {
	s := e.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// cleanupSession ends a session: QUIT if it expired, into the cache if
// it may be reused, otherwise closed (smtp_cleanup_session).
func (st *state) cleanupSession() {
	s := st.sess
	if len(s.history) > 0 && s.errorMask&st.ag.notifyMask != 0 && !st.possibleNotification() {
		st.ag.chatNotify(s)
	}
	throttled := s.throttled()
	if s.expired(st.ag.cfg.reuseCountLimit) {
		st.quit()
	}
	if s.cached() && s.st.err == nil {
		st.saveSession()
	} else {
		s.close()
	}
	st.sess = nil
	if st.cacheNexthop != "" && !throttled {
		st.cacheNexthop = ""
	}
	st.rcptCleanup()
	st.req.Stats.ConnSetupDone = time.Time{}
	st.req.Stats.DeliverDone = time.Time{}
	st.req.Stats.ReuseCount = 0
}

// possibleNotification: mail from the null sender or the double-bounce
// address gets no postmaster notice about its session.
func (st *state) possibleNotification() bool {
	return st.req.Sender == "" || st.req.Sender == st.ag.doubleBounce
}

// cachePolicy decides whether this destination's sessions are cached
// (smtp_cache_policy).
func (st *state) cachePolicy(dest string) {
	st.flags &^= flagConnCacheMask
	if st.ag.cacheDest != nil {
		ok, err := st.ag.cacheDest.Match(dest)
		if err != nil {
			// A table that fails counts as no match (MATCH_FLAG_RETURN).
			st.ag.log.Warnf("%v", err)
		}
		if ok {
			st.flags |= flagConnCacheMask
			return
		}
	}
	if st.ag.cfg.cacheDemand {
		if st.req.Flags&deliverConnLoad != 0 {
			st.flags |= flagConnLoad
		}
		if st.req.Flags&deliverConnStore != 0 {
			st.flags |= flagConnStore
		}
	}
}

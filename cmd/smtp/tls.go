package main

import (
	"bufio"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libtls"
)

// tlsClient is the process's TLS client state (smtp_tls_ctx): trust
// anchors, client certificate and the policy cache.
type tlsClient struct {
	roots *x509.CertPool
	certs []tls.Certificate
	// mgr is tlsmgr(8); cacheType ("smtp", "lmtp") is set when it
	// caches this personality's sessions.
	mgr       *libtls.MgrClient
	cacheType string
	grades    libtls.GradeLists // tls_*_cipherlist
}

// tlsSession is the TLS state of a session: in this process, or in
// tlsproxy(8) (then the session's connection is the plaintext one to
// tlsproxy, closed with the session).
type tlsSession struct {
	cs    *libtls.ClientSession
	proxy *libtls.ProxyContext
}

func (t *tlsSession) close() {
	if t.cs != nil {
		t.cs.Conn.Close()
	}
}

// newTLSClient prepares TLS when any TLS is configured (smtp.c pre_init).
func newTLSClient(a *agent) (*tlsClient, error) {
	a.tlsPolicies = map[string]*tlsPolicy{}
	tc := a.cfg.tls
	if tc.level == tlsNone && tc.perSite == "" && tc.policyMaps == "" {
		return nil, nil
	}
	if err := a.openTLSPolicyMaps(); err != nil {
		return nil, err
	}
	// Postfix's TLS library takes its entropy from tlsmgr; without it,
	// TLS is disabled (tls_client_init).
	mgr := libtls.NewMgrClient(".", a.s.Str("tlsmgr_service_name"), a.s.IPCTimeout, a.log)
	if _, ok := mgr.Seed(a.s.Int("tls_daemon_random_bytes")); !ok {
		a.log.Warnf("no entropy for TLS key generation: disabling TLS support")
		return nil, nil
	}
	roots, err := libtls.LoadRoots(tc.caFile, tc.caPath)
	if err != nil {
		a.log.Warnf("%v", err)
		roots = x509.NewCertPool()
	}
	c := &tlsClient{roots: roots, mgr: mgr, grades: libtls.GradeLists{}}
	for _, g := range []string{"export", "low", "medium", "high", "null"} {
		c.grades[g] = a.s.Str("tls_" + g + "_cipherlist")
	}
	cacheType := "smtp"
	if a.cfg.lmtp {
		cacheType = "lmtp"
	}
	if cachable, _ := mgr.Policy(cacheType); cachable {
		c.cacheType = cacheType
	}
	if tc.certFile != "" {
		key := tc.keyFile
		if key == "" {
			key = tc.certFile
		}
		cert, err := tls.LoadX509KeyPair(tc.certFile, key)
		if err != nil {
			a.log.Warnf("cannot load client certificate %s: %v", tc.certFile, err)
		} else {
			c.certs = append(c.certs, cert)
		}
	}
	return c, nil
}

// tryStartTLS sends STARTTLS when the server offers it and the level
// wants it, or fails the session when TLS is required (the TLS part of
// smtp_helo). done reports that the session ended or was handed to
// startTLS.
func (st *state) tryStartTLS() (int, bool) {
	s, tc := st.sess, st.ag.cfg.tls
	level := tlsNone
	if st.tls != nil {
		level = st.tls.level
	}
	if s.features&featStartTLS != 0 && tc.noteStartTLS && level <= tlsNone {
		st.ag.log.Infof("Host offered STARTTLS: [%s]", st.it.host)
	}
	if s.features&featStartTLS != 0 && st.ag.tlsc != nil && level >= tlsMay {
		s.st.setup(st.ag.cfg.starttlsTimeout, st.ag.cfg.perRequestDeadline)
		where := "receiving the STARTTLS response"
		if err := s.cmd("STARTTLS"); err != nil {
			return st.streamExcept(err, where), true
		}
		resp, err := s.resp()
		if err != nil {
			return st.streamExcept(err, where), true
		}
		if resp.code/100 == 2 {
			s.features = st.savedFeatures
			s.saslMechs = ""
			st.flags |= flagInStartTLS
			res := st.startTLS()
			st.flags &^= flagInStartTLS
			return res, true
		}
		s.features &^= featStartTLS
		if tlsRequired(level) {
			return st.siteFail(st.it.host, resp, "TLS is required, but host %s refused to start TLS: %s",
				s.namaddr, resp.oneLine()), true
		}
	}
	if tlsRequired(level) {
		if s.features&featStartTLS == 0 {
			return st.siteFail("", fake("4.7.4"), "TLS is required, but was not offered by host %s", s.namaddr), true
		}
		return st.siteFail("", fake("4.7.5"), "TLS is required, but our TLS engine is unavailable"), true
	}
	return 0, false
}

// startTLS runs the handshake, checks the certificate as the level
// requires, logs the session and continues with EHLO (smtp_start_tls).
func (st *state) startTLS() int {
	s, tc, pol := st.sess, st.ag.cfg.tls, st.tls
	if !pol.connReuse {
		s.dontCache()
	}
	if err := s.st.flush(); err != nil {
		return st.streamExcept(err, "receiving the STARTTLS response")
	}
	if pol.connReuse {
		return st.startProxyTLS()
	}
	var dane []libtls.TLSA
	mustFail := false
	if daneLevel(pol.level) {
		dane, mustFail = st.daneEnable()
	}
	ciphers, err := libtls.CipherList(pol.grade, st.ag.tlsc.grades, pol.exclude)
	if err != nil {
		st.ag.log.Warnf("%s: %v", s.namaddrport, err)
		return st.startTLSFailed()
	}
	if len(libtls.CipherSuites(ciphers)) == 0 {
		st.ag.log.Warnf("%s: error setting cipher grade: \"%s\"", s.namaddrport, pol.grade)
		st.ag.log.Warnf("TLS library problem: %s", opensslNoCipherMatch)
		return st.startTLSFailed()
	}
	s.st.conn.SetDeadline(s.st.limit())
	cs, err := libtls.Client(s.st.conn, libtls.ClientParams{SNI: st.sni(), Protocols: pol.protocols,
		Roots: st.ag.tlsc.roots, Certs: st.ag.tlsc.certs, Timeout: st.ag.cfg.starttlsTimeout,
		SessionCache: st.sessionCache(), CipherList: ciphers})
	if err != nil {
		if errors.Is(err, libtls.HandshakeEOF) {
			st.ag.log.Infof("SSL_connect error to %s: lost connection", s.namaddrport)
		} else {
			st.ag.log.Infof("SSL_connect error to %s: -1", s.namaddrport)
			st.ag.log.Warnf("TLS library problem: %v", err)
		}
		return st.startTLSFailed()
	}
	s.tls = &tlsSession{cs: cs}
	s.st.conn = cs.Conn
	s.st.r = bufio.NewReaderSize(cs.Conn, bufSize)
	matched := st.certMatched(cs, dane, mustFail)
	// After DANE, the names stay set for the certificate check of a
	// session that fell back to unauthenticated TLS.
	trusted := cs.Trusted && (pol.daneBase == "" || cs.NameMatches(pol.match))
	if tc.loglevel >= 1 {
		kind := "Untrusted"
		switch {
		case tlsMustMatch(pol.level) && matched && pol.level != tlsHalfDane:
			kind = "Verified"
		case tlsMustMatch(pol.level) && matched:
			kind = "Trusted"
		case trusted && !tlsMustMatch(pol.level):
			kind = "Trusted"
		}
		st.ag.log.Infof("%s", cs.Summary(kind, s.namaddrport))
	}
	if tlsMustMatch(pol.level) && !matched {
		return st.siteFail("", fake("4.7.5"), "Server certificate not verified")
	}
	return st.helo()
}

// startTLSFailed ends a session whose TLS could not start: the
// connection is not used again, mail may be retried in plaintext at
// level may, and the recipients get "Cannot start TLS".
func (st *state) startTLSFailed() int {
	st.sess.forbid()
	if st.plaintextAfterStartTLSFailure() {
		st.retryPlain()
	}
	thr := throttle
	if st.tls.level == tlsMay {
		thr = noThrottle
	}
	return st.miscFail(thr, "", fake("4.7.5"), "Cannot start TLS: handshake failure")
}

// sessionCache is the tlsmgr session cache entry of this server when
// sessions are cached: one session per service, next hop, server name
// and address, and TLS policy (the serverid of smtp_proto.c and
// tls_client.c, with a suffix of its own, as Go's sessions are not
// OpenSSL's).
func (st *state) sessionCache() tls.ClientSessionCache {
	tc := st.ag.tlsc
	if tc.cacheType == "" {
		return nil
	}
	pol := st.tls
	policy := fmt.Sprintf("%d&%s&%s&%s&%s", pol.level, pol.protocols, st.sni(), strings.Join(pol.match, ","), st.sess.helo)
	sum := sha256.Sum256([]byte(policy))
	id := fmt.Sprintf("%s&%s&%s&%s&go&%s", st.service, st.it.dest, st.it.host, st.it.addr, hex.EncodeToString(sum[:16]))
	return &libtls.MgrSessionCache{Mgr: tc.mgr, CacheType: tc.cacheType, ID: id}
}

// sni is the server name to send (smtp_tls_servername, policy
// servername=).
func (st *state) sni() string {
	if daneLevel(st.tls.level) {
		return st.tls.daneBase
	}
	switch st.tls.sni {
	case "hostname":
		return st.it.host
	case "nexthop":
		return st.sess.tlsNexthop
	}
	return st.tls.sni
}

// certMatched checks the server certificate at fingerprint, verify and
// secure levels, logging failures as Postfix does.
func (st *state) certMatched(cs *libtls.ClientSession, dane []libtls.TLSA, mustFail bool) bool {
	s, pol := st.sess, st.tls
	fail := func(num int, text string) bool {
		st.ag.log.Infof("%s", cs.VerifyErrorLog(num, text, s.namaddrport))
		return false
	}
	switch pol.level {
	case tlsHalfDane, tlsDane, tlsDaneOnly:
		if mustFail {
			return fail(1, "unspecified certificate verification error")
		}
		res := cs.VerifyDANE(dane, pol.match, time.Now())
		if !res.Matched {
			return fail(res.FailNum, res.FailText)
		}
		return true
	case tlsFprint:
		alg := st.ag.cfg.tls.fprintDigest
		certD, spkiD := cs.PeerDigests(alg)
		usable := 0
		matched := false
		for _, f := range pol.fprints {
			raw, err := hex.DecodeString(strings.ReplaceAll(f, ":", ""))
			h := hex.EncodeToString(raw)
			if err != nil || len(raw) != libtls.DigestSize(alg) {
				st.ag.log.Warnf("%s: unusable TLSA RR: 3 1 255 %s", s.namaddrport, h)
				st.ag.log.Warnf("%s: unusable TLSA RR: 3 0 255 %s", s.namaddrport, h)
				continue
			}
			usable++
			if string(raw) == string(certD) || string(raw) == string(spkiD) {
				matched = true
			}
		}
		if usable == 0 {
			st.ag.log.Warnf("%s: all fingerprints unusable", s.namaddrport)
		}
		if !matched {
			return fail(1, "unspecified certificate verification error")
		}
		return true
	case tlsEncrypt:
		// DANE fell back to unauthenticated TLS: the chain is still
		// checked with the DANE names, and failures are logged.
		if pol.daneBase == "" {
			return cs.Trusted
		}
		if !cs.Trusted {
			return fail(cs.VerifyFailure(st.ag.tlsc.roots))
		}
		if !cs.NameMatches(pol.match) {
			return fail(62, "hostname mismatch")
		}
		return true
	case tlsVerify, tlsSecure:
		if !cs.Trusted {
			return fail(cs.VerifyFailure(st.ag.tlsc.roots))
		}
		if !cs.NameMatches(st.matchNames()) {
			return fail(62, "hostname mismatch")
		}
		return true
	}
	return cs.Trusted
}

// matchNames expands the match list: hostname (only at verify, or a
// DNSSEC-validated MX name), nexthop, dot-nexthop, literal names.
func (st *state) matchNames() []string {
	var out []string
	nexthop := strings.ToLower(st.sess.tlsNexthop)
	for _, m := range st.tls.match {
		switch strings.ToLower(m) {
		case "hostname":
			if st.tls.level == tlsVerify || st.it.mxDNSSEC {
				out = append(out, st.it.host)
			}
		case "nexthop":
			out = append(out, nexthop)
		case "dot-nexthop":
			out = append(out, "."+nexthop)
		default:
			out = append(out, m)
		}
	}
	return out
}

// plaintextAfterStartTLSFailure is PLAINTEXT_FALLBACK_OK_AFTER_STARTTLS_FAILURE:
// at level may, mail that has waited at least minimal_backoff_time (or
// an address probe) may go out in plaintext after a failed handshake.
func (st *state) plaintextAfterStartTLSFailure() bool {
	return st.sess.tls == nil && st.tls != nil && st.tls.level == tlsMay && st.waitedLongEnough() && !st.haveSASLCredentials()
}

// plaintextAfterTLSFailure is the same test after a failure inside the
// TLS session (PLAINTEXT_FALLBACK_OK_AFTER_TLS_SESSION_FAILURE).
func (st *state) plaintextAfterTLSFailure() {
	if st.sess.tls != nil && st.left > st.drop+st.keep && st.tls != nil && st.tls.level == tlsMay &&
		st.waitedLongEnough() && !st.haveSASLCredentials() {
		st.retryPlain()
	}
}

func (st *state) waitedLongEnough() bool {
	if st.req.Flags&deliver.TraceOnlyMask != 0 {
		return true
	}
	a, i := st.req.Stats.ActiveArrival, st.req.Stats.IncomingArrival
	return a.Unix()-i.Unix() >= int64(st.ag.cfg.minBackoff.Seconds())
}

// retryPlain is RETRY_AS_PLAINTEXT.
func (st *state) retryPlain() {
	st.sess.tlsRetryPlain = true
	st.flags &^= flagFinalServer
}

// opensslNoCipherMatch is the error OpenSSL 3.0 (Debian 12) reports for
// a cipher list that selects nothing, as tls_print_errors logs it.
const opensslNoCipherMatch = "error:0A0000B9:SSL routines::no cipher match:../ssl/ssl_lib.c:2759:"

package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"gopostfix/libtls"
)

// featFromProxy marks a session whose TLS runs in tlsproxy(8)
// (SMTP_FEATURE_FROM_PROXY).
const featFromProxy = 1 << 22

// startProxyTLS has tlsproxy(8) do TLS for this session, so that the
// connection can be cached and reused with TLS on
// (smtp_tls_connection_reuse, smtp_start_tls): the server connection is
// passed to tlsproxy, which reports the TLS state and then relays
// plaintext; the certificate checks are tlsproxy's.
func (st *state) startProxyTLS() int {
	s, a := st.sess, st.ag
	f, err := fileOf(s.st.conn)
	if err != nil {
		a.log.Warnf("%v", err)
		return st.startTLSFailed()
	}
	service := a.s.Str("tlsproxy_service_name")
	ac, err := libtls.ProxyOpen(filepath.Join(".", "private", service), "private/"+service, int(f.Fd()),
		st.proxyRequest(), a.s.IPCTimeout)
	f.Close()
	if err != nil {
		a.log.Warnf("%v", err)
		return st.startTLSFailed()
	}
	s.st.conn.Close()
	s.st.conn = ac.NetConn()
	ctx, rest, err := libtls.ReceiveContext(ac)
	if err != nil {
		s.st.r = bufio.NewReaderSize(s.st.conn, bufSize)
		return st.startTLSFailed()
	}
	s.st.r = bufio.NewReaderSize(io.MultiReader(rest, s.st.conn), bufSize)
	s.features |= featFromProxy
	s.tls = &tlsSession{proxy: ctx}
	a.log.Infof("%s", ctx.Summary(false))
	if tlsMustMatch(ctx.Level) && !ctx.Matched() {
		return st.siteFail("", fake("4.7.5"), "Server certificate not verified")
	}
	return st.helo()
}

// proxyRequest is what tlsproxy gets: the TLS parameters of main.cf,
// the client's TLS settings and this session's policy.
func (st *state) proxyRequest() libtls.ProxyRequest {
	a, s, pol := st.ag, st.sess, st.tls
	p := a.par
	cacheType := "smtp"
	if a.cfg.lmtp {
		cacheType = "lmtp"
	}
	init := map[string]string{"log_param": p.name("smtp_tls_loglevel"), "log_level": p.str("smtp_tls_loglevel"),
		"cache_type": cacheType, "mdalg": p.str("smtp_tls_fingerprint_digest")}
	for _, n := range []string{"chain_files", "cert_file", "key_file", "dcert_file", "dkey_file", "eccert_file",
		"eckey_file", "CAfile", "CApath"} {
		init[n] = p.str("smtp_tls_" + n)
	}
	start := libtls.ProxyStart{Timeout: int(a.cfg.starttlsTimeout.Seconds()), Level: pol.level,
		Nexthop: s.tlsNexthop, Host: st.it.host, NamAddr: s.namaddrport, SNI: pol.sni,
		ServerID: st.serverID(), Helo: s.helo, Protocols: pol.protocols, Grade: pol.grade,
		Exclusions: pol.exclude, MDAlg: p.str("smtp_tls_fingerprint_digest")}
	// Match names and the SNI go as configured: tlsproxy resolves
	// "hostname", "nexthop" and "dot-nexthop" itself.
	start.Match = pol.match
	switch pol.level {
	case tlsHalfDane, tlsDane, tlsDaneOnly:
		start.Dane, start.DaneDomain, start.TLSA = true, pol.daneBase, pol.dane
	case tlsFprint:
		start.Dane, start.TLSA = true, fingerprintTLSA(pol.fprints)
	}
	return libtls.ProxyRequest{Peer: fmt.Sprintf("[%s]:%d", st.it.addr, st.it.port),
		HandshakeTimeout: int(a.cfg.starttlsTimeout.Seconds()), SessionTimeout: int(a.cfg.dataDoneTimeout.Seconds()),
		ServerID: st.service,
		Params:   libtls.ProxyParams(a.s.Str, func(n string) int { return proxyNumber(a, n) }),
		Init:     libtls.ProxyInit(init, p.integer("smtp_tls_scert_verifydepth")),
		Start:    start}
}

// proxyNumber is a yes/no (1/0) or numeric parameter.
func proxyNumber(a *agent, name string) int {
	v := a.s.Str(name)
	switch strings.ToLower(v) {
	case "yes":
		return 1
	case "no":
		return 0
	}
	n, _ := strconv.Atoi(v)
	return n
}

// serverID names the session in TLS session caches (the smtp_key_prefix
// of smtp_start_tls).
func (st *state) serverID() string {
	return st.keyPrefixDelim(keyService|keyCurNexthop|keyHostname|keyAddr, "&")
}

// fingerprintTLSA are the fingerprint level's digests as private-use
// DANE-EE records, last fingerprint first, public key before
// certificate (tls_dane_add_fpt_digests).
func fingerprintTLSA(fprints []string) []libtls.TLSA {
	var out []libtls.TLSA
	for i := len(fprints) - 1; i >= 0; i-- {
		raw, err := hex.DecodeString(strings.ReplaceAll(fprints[i], ":", ""))
		if err != nil {
			continue
		}
		out = append(out, libtls.TLSA{Usage: 3, Selector: 1, MType: 255, Data: raw},
			libtls.TLSA{Usage: 3, Selector: 0, MType: 255, Data: raw})
	}
	return out
}

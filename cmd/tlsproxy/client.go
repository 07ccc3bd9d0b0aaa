package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libtls"
)

// TLS security levels as the client sends them (TLS_LEV_*).
const (
	levEncrypt  = 2
	levFprint   = 3
	levHalfDane = 4
	levDaneOnly = 6
	levVerify   = 7
	levSecure   = 8
)

// Peer certificate status bits (TLS_CERT_FLAG_*).
const (
	certPresent = 1 << 0
	certTrusted = 1 << 2
	certMatched = 1 << 3
	certSecured = 1 << 4
)

var errBadCount = errors.New("bad element count")

// clientContext is the TLS_SESS_STATE summary a client gets back
// (tls_proxy_context_print) and that the summary line is made of.
type clientContext struct {
	peerCN, issuerCN, certFprint, pkeyFprint string
	level, status                            int
	protocol, cipher                         string
	useBits, algBits                         int
	kexName, kexCurve                        string
	srvrSigName, srvrSigCurve                string
	srvrSigBits                              int
	srvrSigDgst, namaddr                     string
}

// connect runs the client handshake for q on peer, checks the server
// certificate as the level requires and logs as tls_client_post_connect
// does.
func (ss *session) connect(peer net.Conn, q *clientRequest) (*tls.Conn, *clientContext, bool) {
	roots, err := libtls.LoadRoots(q.caFile, q.caPath)
	if err != nil {
		ss.s.Log.Warnf("%v", err)
		return nil, nil, false
	}
	params := libtls.ClientParams{SNI: q.sni, Protocols: q.protocols, Roots: roots, Timeout: ss.handshake}
	if q.certFile != "" {
		key := q.keyFile
		if key == "" {
			key = q.certFile
		}
		c, err := tls.LoadX509KeyPair(q.certFile, key)
		if err != nil {
			ss.s.Log.Warnf("cannot load certificate or key from %s, %s: %v", q.certFile, key, err)
			return nil, nil, false
		}
		params.Certs = []tls.Certificate{c}
	}
	lists := libtls.GradeLists{"high": q.strParams[2], "medium": q.strParams[3], "low": q.strParams[4],
		"export": q.strParams[5], "null": q.strParams[6]}
	if list, err := libtls.CipherList(q.cipherGrade, lists, q.cipherExclusions); err == nil {
		params.CipherList = list
	} else {
		ss.s.Log.Warnf("%s: %v", q.namaddr, err)
		return nil, nil, false
	}
	cs, err := libtls.Client(peer, params)
	if err != nil {
		if !errors.Is(err, libtls.HandshakeEOF) {
			ss.s.Log.Warnf("TLS library problem: %v", err)
		}
		return nil, nil, false
	}
	ctx := ss.describe(cs, q, roots)
	if logLevel(q.logLevel) >= 1 {
		ss.s.Log.Infof("%s", ctx.summary())
	}
	return cs.Conn, ctx, true
}

// describe fills the session summary: names and fingerprints of the
// server certificate, whether it is trusted and matches the level's
// names or fingerprints (failures logged as Postfix logs them), and
// the cipher, key exchange and signature of the session.
func (ss *session) describe(cs *libtls.ClientSession, q *clientRequest, roots *x509.CertPool) *clientContext {
	st := cs.Conn.ConnectionState()
	in := cs.Info
	ctx := &clientContext{level: q.level, protocol: in.Protocol, cipher: in.Cipher,
		useBits: in.Bits, algBits: in.AlgBits, namaddr: q.namaddr}
	if len(st.PeerCertificates) > 0 {
		leaf := st.PeerCertificates[0]
		ctx.status |= certPresent
		ctx.peerCN, ctx.issuerCN = in.PeerCN, in.IssuerCN
		certD, spkiD := cs.PeerDigests(q.mdalg)
		ctx.certFprint, ctx.pkeyFprint = colonHex(certD), colonHex(spkiD)
		mustMatch := q.level >= levFprint
		matched := ss.matches(cs, q, roots, certD, spkiD)
		if matched {
			ctx.status |= certTrusted
			if mustMatch {
				ctx.status |= certMatched
				if q.level != levHalfDane {
					ctx.status |= certSecured
				}
			}
		}
		if st.Version >= tls.VersionTLS13 {
			ctx.srvrSigDgst = "SHA256"
			switch k := leaf.PublicKey.(type) {
			case *rsa.PublicKey:
				ctx.srvrSigName, ctx.srvrSigBits = "RSA-PSS", k.N.BitLen()
			case *ecdsa.PublicKey:
				ctx.srvrSigName, ctx.srvrSigCurve = "ECDSA", curveName(k.Curve.Params().Name)
			default:
				ctx.srvrSigName, ctx.srvrSigDgst = strings.ToUpper(leaf.PublicKeyAlgorithm.String()), ""
			}
		}
	}
	if st.Version >= tls.VersionTLS13 {
		switch in.KeyExch {
		case "X25519", "X448":
			ctx.kexName = in.KeyExch
		case "":
		default:
			ctx.kexName, ctx.kexCurve = "ECDHE", in.KeyExch
		}
	}
	return ctx
}

// matches is the certificate check of the request's level: at
// fingerprint level a listed certificate or public key digest, at the
// DANE levels the TLSA records, at verify and secure levels a trusted
// chain with a listed name, below them a trusted chain. A failed check at a level that needs one is
// logged.
func (ss *session) matches(cs *libtls.ClientSession, q *clientRequest, roots *x509.CertPool, certD, spkiD []byte) bool {
	fail := func(num int, text string) bool {
		ss.s.Log.Infof("%s", cs.VerifyErrorLog(num, text, q.namaddr))
		return false
	}
	switch {
	case q.level == levFprint:
		// The fingerprints come as "3 0 255" and "3 1 255" records: the
		// digest (with the request's algorithm) of the certificate or of
		// its public key.
		for _, r := range q.tlsa {
			d := certD
			if r.selector == 1 {
				d = spkiD
			}
			if r.usage == 3 && r.mtype == 255 && len(d) > 0 && bytes.Equal(r.data, d) {
				return true
			}
		}
		return fail(65, "no matching DANE TLSA records")
	case q.level >= levHalfDane && q.level <= levDaneOnly:
		var records []libtls.TLSA
		for _, r := range q.tlsa {
			records = append(records, libtls.TLSA{Usage: uint8(r.usage), Selector: uint8(r.selector), MType: uint8(r.mtype), Data: r.data})
		}
		if res := cs.VerifyDANE(records, matchNames(q), time.Now()); !res.Matched {
			return fail(res.FailNum, res.FailText)
		}
		return true
	case q.level == levVerify || q.level == levSecure:
		if !cs.Trusted {
			return fail(cs.VerifyFailure(roots))
		}
		if !cs.NameMatches(matchNames(q)) {
			return fail(62, "hostname mismatch")
		}
		return true
	}
	return cs.Trusted
}

// matchNames expands the match strategies of the request.
func matchNames(q *clientRequest) []string {
	var out []string
	for _, m := range q.match {
		switch strings.ToLower(m) {
		case "hostname":
			out = append(out, q.host)
		case "nexthop":
			out = append(out, strings.ToLower(q.nexthop))
		case "dot-nexthop":
			out = append(out, "."+strings.ToLower(q.nexthop))
		default:
			out = append(out, m)
		}
	}
	return out
}

func curveName(goName string) string {
	switch goName {
	case "P-256":
		return "prime256v1"
	case "P-384":
		return "secp384r1"
	case "P-521":
		return "secp521r1"
	}
	return goName
}

// colonHex is tls_fprint's form of a digest: uppercase hex pairs joined
// by colons.
func colonHex(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02X", c)
	}
	return strings.Join(parts, ":")
}

// summary is tls_log_summary for the client role.
func (c *clientContext) summary() string {
	kind := "Anonymous"
	switch {
	case c.status&certPresent == 0:
	case c.status&certSecured != 0:
		kind = "Verified"
	case c.status&certTrusted != 0:
		kind = "Trusted"
	default:
		kind = "Untrusted"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s TLS connection established to %s: %s with cipher %s (%d/%d bits)",
		kind, c.namaddr, c.protocol, c.cipher, c.useBits, c.algBits)
	if c.kexName != "" {
		fmt.Fprintf(&b, " key-exchange %s", c.kexName)
		if c.kexCurve != "" {
			fmt.Fprintf(&b, " (%s)", c.kexCurve)
		}
	}
	if c.srvrSigName != "" {
		fmt.Fprintf(&b, " server-signature %s", c.srvrSigName)
		if c.srvrSigCurve != "" {
			fmt.Fprintf(&b, " (%s)", c.srvrSigCurve)
		} else if c.srvrSigBits > 0 {
			fmt.Fprintf(&b, " (%d bits)", c.srvrSigBits)
		}
		if c.srvrSigDgst != "" {
			fmt.Fprintf(&b, " server-digest %s", c.srvrSigDgst)
		}
	}
	return b.String()
}

// send is tls_proxy_context_print: the summary for the client.
func (c *clientContext) send(ac *attr.Conn) error {
	ac.Timeout = 5 * time.Second
	return ac.Print(attr.Str("peer_CN", c.peerCN), attr.Str("issuer_CN", c.issuerCN),
		attr.Str("peer_fingerprint", c.certFprint), attr.Str("peer_pubkey_fingerprint", c.pkeyFprint),
		attr.Int("level", c.level), attr.Int("peer_status", c.status),
		attr.Str("cipher_protocol", c.protocol), attr.Str("cipher_name", c.cipher),
		attr.Int("cipher_usebits", c.useBits), attr.Int("cipher_algbits", c.algBits),
		attr.Str("key_exchange", c.kexName), attr.Str("key_exchange_curve", c.kexCurve),
		attr.Int("key_exchange_bits", 0),
		attr.Str("clnt_signature", ""), attr.Str("clnt_signature_curve", ""),
		attr.Int("clnt_signature_bits", 0), attr.Str("clnt_signature_digest", ""),
		attr.Str("srvr_signature", c.srvrSigName), attr.Str("srvr_signature_curve", c.srvrSigCurve),
		attr.Int("srvr_signature_bits", c.srvrSigBits), attr.Str("srvr_signature_digest", c.srvrSigDgst),
		attr.Str("namaddr", c.namaddr))
}

package libtls

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"strings"
)

// Info describes an established TLS session, as Postfix's TLS_SESS_STATE
// fields used in logs, Received: headers and policy requests.
type Info struct {
	Protocol string // "TLSv1.3"
	Cipher   string // OpenSSL's name
	Bits     int    // cipher_usebits
	AlgBits  int    // cipher_algbits
	KeyExch  string // "X25519"
	PeerCN   string
	IssuerCN string
	Verified bool
	PeerCert *x509.Certificate
	// ServerSig is the signature algorithm of our certificate with its
	// key size or curve, for the summary line: "RSA-PSS (2048 bits)",
	// "ECDSA (prime256v1)".
	ServerSig string
}

// Describe fills Info from a finished handshake.
func Describe(st tls.ConnectionState, own *tls.Certificate) Info {
	in := Info{Protocol: protocolName(st.Version)}
	in.Cipher, in.Bits = cipherName(st.CipherSuite)
	in.AlgBits = in.Bits
	in.KeyExch = curveName(st.CurveID)
	if len(st.PeerCertificates) > 0 {
		c := st.PeerCertificates[0]
		in.PeerCert = c
		in.PeerCN = c.Subject.CommonName
		in.IssuerCN = c.Issuer.CommonName
		in.Verified = len(st.VerifiedChains) > 0
	}
	if own != nil && own.Leaf != nil {
		in.ServerSig = keyType(own.Leaf, st.Version)
	}
	return in
}

// Summary is the log line after a server handshake (tls_log_summary):
// "Anonymous TLS connection established from name[addr]: TLSv1.3 with
// cipher ... (256/256 bits) key-exchange X25519 server-signature RSA-PSS
// (2048 bits) server-digest SHA256".
func (in Info) Summary(peer string) string {
	kind := "Anonymous"
	switch {
	case in.PeerCert != nil && in.Verified:
		kind = "Trusted"
	case in.PeerCert != nil:
		kind = "Untrusted"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s TLS connection established from %s: %s with cipher %s (%d/%d bits)",
		kind, peer, in.Protocol, in.Cipher, in.Bits, in.AlgBits)
	if in.KeyExch != "" {
		fmt.Fprintf(&b, " key-exchange %s", in.KeyExch)
	}
	if in.ServerSig != "" {
		fmt.Fprintf(&b, " server-signature %s server-digest SHA256", in.ServerSig)
	}
	return b.String()
}

func protocolName(v uint16) string {
	switch v {
	case tls.VersionTLS10:
		return "TLSv1"
	case tls.VersionTLS11:
		return "TLSv1.1"
	case tls.VersionTLS12:
		return "TLSv1.2"
	case tls.VersionTLS13:
		return "TLSv1.3"
	}
	return "unknown"
}

// openSSLNames are OpenSSL's names of the suites Go negotiates, with
// the key bits.
var openSSLNames = map[uint16]struct {
	name string
	bits int
}{
	tls.TLS_AES_128_GCM_SHA256:                        {"TLS_AES_128_GCM_SHA256", 128},
	tls.TLS_AES_256_GCM_SHA384:                        {"TLS_AES_256_GCM_SHA384", 256},
	tls.TLS_CHACHA20_POLY1305_SHA256:                  {"TLS_CHACHA20_POLY1305_SHA256", 256},
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:         {"ECDHE-RSA-AES128-GCM-SHA256", 128},
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:         {"ECDHE-RSA-AES256-GCM-SHA384", 256},
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:       {"ECDHE-ECDSA-AES128-GCM-SHA256", 128},
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:       {"ECDHE-ECDSA-AES256-GCM-SHA384", 256},
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:   {"ECDHE-RSA-CHACHA20-POLY1305", 256},
	tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: {"ECDHE-ECDSA-CHACHA20-POLY1305", 256},
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA:            {"ECDHE-RSA-AES128-SHA", 128},
	tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA:            {"ECDHE-RSA-AES256-SHA", 256},
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA:          {"ECDHE-ECDSA-AES128-SHA", 128},
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA:          {"ECDHE-ECDSA-AES256-SHA", 256},
	tls.TLS_RSA_WITH_AES_128_GCM_SHA256:               {"AES128-GCM-SHA256", 128},
	tls.TLS_RSA_WITH_AES_256_GCM_SHA384:               {"AES256-GCM-SHA384", 256},
	tls.TLS_RSA_WITH_AES_128_CBC_SHA:                  {"AES128-SHA", 128},
	tls.TLS_RSA_WITH_AES_256_CBC_SHA:                  {"AES256-SHA", 256},
}

func cipherName(id uint16) (string, int) {
	if n, ok := openSSLNames[id]; ok {
		return n.name, n.bits
	}
	return tls.CipherSuiteName(id), 0
}

func curveName(id tls.CurveID) string {
	switch id {
	case tls.X25519:
		return "X25519"
	case tls.CurveP256:
		return "prime256v1"
	case tls.CurveP384:
		return "secp384r1"
	case tls.CurveP521:
		return "secp521r1"
	case 0:
		return ""
	}
	return id.String()
}

// keyType names our certificate's signature scheme as OpenSSL logs it.
func keyType(c *x509.Certificate, version uint16) string {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		if version >= tls.VersionTLS13 {
			return fmt.Sprintf("RSA-PSS (%d bits)", k.N.BitLen())
		}
		return fmt.Sprintf("RSA (%d bits)", k.N.BitLen())
	case *ecdsa.PublicKey:
		name := k.Curve.Params().Name
		switch name {
		case "P-256":
			name = "prime256v1"
		case "P-384":
			name = "secp384r1"
		case "P-521":
			name = "secp521r1"
		}
		return fmt.Sprintf("ECDSA (%s)", name)
	case ed25519.PublicKey:
		return "ED25519"
	}
	return ""
}

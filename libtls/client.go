package libtls

import (
	"context"
	"crypto"
	_ "crypto/md5"
	_ "crypto/sha1"
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// ClientParams are what one client handshake needs (the parts of
// TLS_CLIENT_INIT_PROPS and TLS_CLIENT_START_PROPS Go can honour).
type ClientParams struct {
	SNI       string         // server name indication, "" for none
	Protocols string         // smtp_tls_protocols syntax
	Roots     *x509.CertPool // trust anchors (CAfile, CApath); nil: none
	Certs     []tls.Certificate
	Timeout   time.Duration
	// SessionCache resumes and keeps sessions (tlsmgr); nil for none.
	SessionCache tls.ClientSessionCache
	// CipherList is an OpenSSL cipher list (see CipherSuites) for TLS
	// 1.0-1.2; "" leaves Go's defaults.
	CipherList string
}

// ClientSession is an established client-side TLS session.
type ClientSession struct {
	Conn    *tls.Conn
	Info    Info
	Trusted bool // the chain verifies to a trust anchor
	Resumed bool // a cached session was resumed
}

// clientGroups are the key exchange groups OpenSSL 3.0 offers by
// default (no post-quantum hybrids), so that servers choose what they
// choose with Postfix.
var clientGroups = []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384, tls.CurveP521}

// HandshakeEOF says the server closed the connection during the
// handshake (OpenSSL's "lost connection").
var HandshakeEOF = errors.New("lost connection")

// LoadRoots reads the trust anchors of a CAfile and a CApath directory;
// with neither there are none (Postfix does not add the system's
// default CAs unless asked to).
func LoadRoots(caFile, caPath string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("cannot load Certification Authority data, CAfile=\"%s\": %v", caFile, err)
		}
		pool.AppendCertsFromPEM(pem)
	}
	if caPath != "" {
		files, _ := filepath.Glob(filepath.Join(caPath, "*"))
		for _, f := range files {
			if pem, err := os.ReadFile(f); err == nil {
				pool.AppendCertsFromPEM(pem)
			}
		}
	}
	return pool, nil
}

// Client runs a client handshake on c. Certificates are not checked by
// the handshake itself: as in Postfix, the caller decides what an
// unverified or mismatched certificate means at its security level.
func Client(c net.Conn, p ClientParams) (*ClientSession, error) {
	lo, hi, err := ProtocolRange(p.Protocols)
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{ServerName: p.SNI, InsecureSkipVerify: true, MinVersion: lo, MaxVersion: hi,
		Certificates: p.Certs, CurvePreferences: clientGroups, ClientSessionCache: p.SessionCache}
	if p.CipherList != "" {
		// As OpenSSL, refuse a list that leaves no TLS 1.2 suite, even
		// though TLS 1.3 suites are not governed by it.
		if cfg.CipherSuites = CipherSuites(p.CipherList); len(cfg.CipherSuites) == 0 {
			return nil, ErrNoCipherMatch
		}
	}
	conn := tls.Client(c, cfg)
	ctx := context.Background()
	if p.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.Timeout)
		defer cancel()
	}
	if err := conn.HandshakeContext(ctx); err != nil {
		// A reset is the server closing while the ClientHello was on
		// its way; OpenSSL usually sees the end of file first.
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
			errors.Is(err, syscall.ECONNRESET) {
			return nil, HandshakeEOF
		}
		return nil, err
	}
	st := conn.ConnectionState()
	cs := &ClientSession{Conn: conn, Info: Describe(st, nil), Resumed: st.DidResume}
	if len(st.PeerCertificates) > 0 {
		leaf := st.PeerCertificates[0]
		cs.Info.ServerSig = keyType(leaf, st.Version)
		if p.Roots != nil {
			inter := x509.NewCertPool()
			for _, c := range st.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			_, verr := leaf.Verify(x509.VerifyOptions{Roots: p.Roots, Intermediates: inter,
				KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
			cs.Trusted = verr == nil
		}
	}
	return cs, nil
}

// VerifyFailure is the OpenSSL verification error Postfix logs for an
// untrusted chain: code and text.
func (cs *ClientSession) VerifyFailure(roots *x509.CertPool) (int, string) {
	return verifyFailure(cs.Conn.ConnectionState().PeerCertificates)
}

// verifyFailure names the first problem OpenSSL finds with a chain that
// does not verify.
func verifyFailure(chain []*x509.Certificate) (int, string) {
	if len(chain) == 0 {
		return 1, "unspecified certificate verification error"
	}
	leaf := chain[0]
	now := time.Now()
	switch {
	case now.After(leaf.NotAfter):
		return 10, "certificate has expired"
	case now.Before(leaf.NotBefore):
		return 9, "certificate is not yet valid"
	case len(chain) == 1 && leaf.Subject.String() == leaf.Issuer.String():
		return 18, "self-signed certificate"
	case len(chain) > 1 && selfSigned(chain[len(chain)-1]):
		return 19, "self-signed certificate in certificate chain"
	}
	return 20, "unable to get local issuer certificate"
}

func selfSigned(c *x509.Certificate) bool { return c.Subject.String() == c.Issuer.String() }

// PeerNames are the names a server certificate is matched against: its
// DNS subjectAltNames, or the CN when it has none.
func (cs *ClientSession) PeerNames() []string {
	st := cs.Conn.ConnectionState()
	if len(st.PeerCertificates) == 0 {
		return nil
	}
	return certNames(st.PeerCertificates[0])
}

func certNames(c *x509.Certificate) []string {
	if len(c.DNSNames) > 0 {
		return c.DNSNames
	}
	if c.Subject.CommonName != "" {
		return []string{c.Subject.CommonName}
	}
	return nil
}

// NameMatches reports whether the server certificate carries one of
// the wanted names (see MatchName).
func (cs *ClientSession) NameMatches(wanted []string) bool {
	st := cs.Conn.ConnectionState()
	return len(st.PeerCertificates) > 0 && namesMatch(st.PeerCertificates[0], wanted)
}

func namesMatch(c *x509.Certificate, wanted []string) bool {
	for _, name := range certNames(c) {
		for _, w := range wanted {
			if MatchName(name, w) {
				return true
			}
		}
	}
	return false
}

// MatchName reports whether a certificate name matches a wanted name
// (exact, or a "*." wildcard standing for one label); with subdomains a
// wanted ".example.com" matches any name below example.com.
func MatchName(certName, want string) bool {
	certName, want = strings.ToLower(strings.TrimSuffix(certName, ".")), strings.ToLower(want)
	if strings.HasPrefix(want, ".") {
		return strings.HasSuffix(certName, want) && len(certName) > len(want)
	}
	if certName == want {
		return true
	}
	if strings.HasPrefix(certName, "*.") {
		dot := strings.IndexByte(want, '.')
		return dot > 0 && want[dot:] == certName[1:]
	}
	return false
}

// Summary is the client's "established" log line (tls_log_summary with
// TLS_ROLE_CLIENT): kind is Verified, Trusted, Untrusted or Anonymous;
// peer is the server's name[addr]:port. A resumed session has no
// server signature digest.
func (cs *ClientSession) Summary(kind, peer string) string {
	in := cs.Info
	var b strings.Builder
	fmt.Fprintf(&b, "%s TLS connection established to %s: %s with cipher %s (%d/%d bits)",
		kind, peer, in.Protocol, in.Cipher, in.Bits, in.AlgBits)
	// Postfix 3.7 learns the key exchange and signature only for TLS 1.3
	// (tls_get_signature_params).
	if in.Protocol != "TLSv1.3" {
		return b.String()
	}
	if in.KeyExch != "" {
		fmt.Fprintf(&b, " key-exchange %s", in.KeyExch)
	}
	if in.ServerSig != "" {
		fmt.Fprintf(&b, " server-signature %s", in.ServerSig)
		if !cs.Resumed {
			b.WriteString(" server-digest SHA256")
		}
	}
	return b.String()
}

// digests are the fingerprint algorithms of smtp_tls_fingerprint_digest.
var digests = map[string]crypto.Hash{"md5": crypto.MD5, "sha1": crypto.SHA1, "sha224": crypto.SHA224,
	"sha256": crypto.SHA256, "sha384": crypto.SHA384, "sha512": crypto.SHA512}

// DigestSize is the length of a digest, 0 for an unknown algorithm.
func DigestSize(alg string) int {
	h, ok := digests[strings.ToLower(alg)]
	if !ok || !h.Available() {
		return 0
	}
	return h.Size()
}

// Digest returns the raw digest of data.
func Digest(alg string, data []byte) []byte {
	h, ok := digests[strings.ToLower(alg)]
	if !ok || !h.Available() {
		return nil
	}
	w := h.New()
	w.Write(data)
	return w.Sum(nil)
}

// PeerDigests are the digests of the server certificate and of its
// public key (the "3 0" and "3 1" forms of a fingerprint).
func (cs *ClientSession) PeerDigests(alg string) (cert, spki []byte) {
	st := cs.Conn.ConnectionState()
	if len(st.PeerCertificates) == 0 {
		return nil, nil
	}
	leaf := st.PeerCertificates[0]
	return Digest(alg, leaf.Raw), Digest(alg, leaf.RawSubjectPublicKeyInfo)
}

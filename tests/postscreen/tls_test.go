package postscreen

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"sync"
	"time"
)

var (
	certOnce        sync.Once
	certPEM, keyPEM string
)

// testCert makes one self-signed certificate for the tlsproxy of every
// instance.
func testCert() (string, string) {
	certOnce.Do(func() {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mx.delivspec.example"},
			DNSNames: []string{"mx.delivspec.example"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			panic(err)
		}
		kder, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			panic(err)
		}
		certPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
		keyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
	})
	return certPEM, keyPEM
}

// startTLS switches the client to TLS after "220 Ready to start TLS".
func (c *client) startTLS() {
	if len(c.lines) == 0 || !strings.HasPrefix(c.lines[len(c.lines)-1], "S: 220 ") {
		return
	}
	tc := tls.Client(c.conn, &tls.Config{InsecureSkipVerify: true, ServerName: "mx.delivspec.example"})
	tc.SetDeadline(time.Now().Add(10 * time.Second))
	if err := tc.Handshake(); err != nil {
		c.lines = append(c.lines, "TLS handshake failed")
		return
	}
	c.lines = append(c.lines, "TLS handshake done")
	c.conn, c.r = tc, bufio.NewReader(tc)
}

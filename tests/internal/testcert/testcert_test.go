package testcert

import (
	"crypto/tls"
	"crypto/x509"
	"testing"
)

// TestSelfSigned loads the pair as a server would and checks the name.
func TestSelfSigned(t *testing.T) {
	certPEM, keyPEM, err := SelfSigned("mx.example.com")
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.VerifyHostname("mx.example.com"); err != nil {
		t.Error(err)
	}
	if cert.VerifyHostname("other.example.com") == nil {
		t.Error("the certificate matches another name")
	}
}

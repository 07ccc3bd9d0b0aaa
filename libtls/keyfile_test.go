package libtls

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"os"
	"strings"
	"testing"
	"time"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestReadPrivateKey reads the key formats openssl writes and checks the
// copy against what "openssl rsa" and "openssl ec" print for the same key.
func TestReadPrivateKey(t *testing.T) {
	for _, tc := range []struct{ file, alg, copy, spki string }{
		{"keyfile-rsa.pem", AlgRSA, "keyfile-rsa-copy.pem", "keyfile-rsa.spki"},
		{"keyfile-rsa-pkcs1.pem", AlgRSA, "keyfile-rsa-copy.pem", "keyfile-rsa.spki"},
		{"keyfile-ec.pem", AlgECDSA, "keyfile-ec-copy.pem", "keyfile-ec.spki"},
		{"keyfile-ec-copy.pem", AlgECDSA, "keyfile-ec-copy.pem", "keyfile-ec.spki"},
	} {
		key, alg, copied, err := ReadPrivateKey(readTestdata(t, tc.file))
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if alg != tc.alg {
			t.Errorf("%s: algorithm %s, want %s", tc.file, alg, tc.alg)
		}
		if want := readTestdata(t, tc.copy); !bytes.Equal(copied, want) {
			t.Errorf("%s: copy differs from %s", tc.file, tc.copy)
		}
		digest, err := SPKIDigest(key.Public())
		if want := strings.TrimSpace(string(readTestdata(t, tc.spki))); err != nil || digest != want {
			t.Errorf("%s: SPKI digest %s (%v), want %s", tc.file, digest, err, want)
		}
	}
	for _, bad := range []string{"", "junk", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"} {
		if _, _, _, err := ReadPrivateKey([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestCertRequest: an RSA request (PKCS#1 v1.5 signatures are
// deterministic) is byte-identical to openssl req's with the script's
// configuration.
func TestCertRequest(t *testing.T) {
	key, _, _, err := ReadPrivateKey(readTestdata(t, "keyfile-rsa.pem"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := CertRequest(key, []string{"a.example", "b.example"})
	if err != nil {
		t.Fatal(err)
	}
	if want := readTestdata(t, "keyfile-rsa.csr"); !bytes.Equal(got, want) {
		t.Errorf("request differs:\n%s\nwant\n%s", got, want)
	}
}

// TestSelfSignedCert compares everything but the serial, the dates and
// the signature with openssl req -x509's certificate for the same key.
func TestSelfSignedCert(t *testing.T) {
	key, _, _, err := ReadPrivateKey(readTestdata(t, "keyfile-rsa.pem"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := SelfSignedCert(key, []string{"a.example", "b.example"}, 36525, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	got, want := parseCert(t, data), parseCert(t, readTestdata(t, "keyfile-rsa-cert.pem"))
	if !bytes.Equal(got.RawSubject, want.RawSubject) || !bytes.Equal(got.RawIssuer, want.RawIssuer) {
		t.Errorf("subject/issuer differ")
	}
	if len(got.Extensions) != len(want.Extensions) {
		t.Fatalf("%d extensions, want %d", len(got.Extensions), len(want.Extensions))
	}
	for i := range want.Extensions {
		g, w := got.Extensions[i], want.Extensions[i]
		if !g.Id.Equal(w.Id) || g.Critical != w.Critical || !bytes.Equal(g.Value, w.Value) {
			t.Errorf("extension %d: %v %v %x, want %v %v %x", i, g.Id, g.Critical, g.Value, w.Id, w.Critical, w.Value)
		}
	}
	if got.SignatureAlgorithm != want.SignatureAlgorithm || got.Version != 3 {
		t.Errorf("signature algorithm %v version %d", got.SignatureAlgorithm, got.Version)
	}
	if d := got.NotAfter.Sub(got.NotBefore); d != 36525*24*time.Hour {
		t.Errorf("validity %v", d)
	}
	if got.SerialNumber.Sign() <= 0 || got.SerialNumber.BitLen() > 159 {
		t.Errorf("serial %v", got.SerialNumber)
	}
	if err := got.CheckSignature(got.SignatureAlgorithm, got.RawTBSCertificate, got.Signature); err != nil {
		t.Errorf("self-signature: %v", err)
	}
}

func parseCert(t *testing.T, data []byte) *x509.Certificate {
	t.Helper()
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatal("no PEM block")
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGenerateKey(t *testing.T) {
	for _, tc := range []struct{ alg, param, first string }{
		{AlgRSA, "1024", "-----BEGIN PRIVATE KEY-----"},
		{AlgECDSA, "secp256r1", "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n-----BEGIN EC PRIVATE KEY-----"},
	} {
		key, text, err := GenerateKey(tc.alg, tc.param)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.alg, tc.param, err)
		}
		if !strings.HasPrefix(string(text), tc.first) {
			t.Errorf("%s: file starts %q", tc.alg, text[:40])
		}
		back, alg, _, err := ReadPrivateKey(text)
		if err != nil || alg != tc.alg {
			t.Fatalf("%s: read back: %v %s", tc.alg, err, alg)
		}
		a, _ := SPKIDigest(key.Public())
		b, _ := SPKIDigest(back.Public())
		if a != b {
			t.Errorf("%s: key changed on the way", tc.alg)
		}
	}
	for _, bad := range [][2]string{{AlgRSA, "abc"}, {AlgRSA, "10"}, {AlgECDSA, "nocurve"}, {"dsa", "1024"}} {
		if _, _, err := GenerateKey(bad[0], bad[1]); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

func FuzzReadPrivateKey(f *testing.F) {
	for _, name := range []string{"keyfile-rsa.pem", "keyfile-ec.pem", "keyfile-rsa-pkcs1.pem"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		key, _, copied, err := ReadPrivateKey(data)
		if err != nil {
			return
		}
		again, _, copied2, err := ReadPrivateKey(copied)
		if err != nil || !bytes.Equal(copied, copied2) {
			t.Fatalf("copy does not read back the same: %v", err)
		}
		a, _ := SPKIDigest(key.Public())
		b, _ := SPKIDigest(again.Public())
		if a != b {
			t.Fatal("public key changed")
		}
	})
}

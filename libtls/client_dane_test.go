package libtls

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"math/big"
	"testing"
	"time"
)

// testChain makes a CA and a server certificate for names.
func testChain(t *testing.T, names ...string) (leaf, ca *x509.Certificate) {
	t.Helper()
	now := time.Now()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA", Organization: []string{"Org"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ = x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ = x509.ParseCertificate(der)
	return leaf, ca
}

func TestVerifyDANE(t *testing.T) {
	leaf, ca := testChain(t, "mx.example.test", "*.wild.test")
	spki256 := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	cert512 := sha512.Sum512(leaf.Raw)
	ca256 := sha256.Sum256(ca.Raw)
	caSPKI := sha256.Sum256(ca.RawSubjectPublicKeyInfo)
	rec := func(u, s, m uint8, d []byte) TLSA { return TLSA{Usage: u, Selector: s, MType: m, Data: d} }
	chain := []*x509.Certificate{leaf, ca}
	tests := []struct {
		name    string
		chain   []*x509.Certificate
		recs    []TLSA
		names   []string
		at      time.Time
		matched bool
		depth   int
		fail    int
	}{
		{"EE SPKI SHA-256", chain, []TLSA{rec(3, 1, 1, spki256[:])}, nil, time.Now(), true, 0, 0},
		{"EE cert SHA-512", chain, []TLSA{rec(3, 0, 2, cert512[:])}, nil, time.Now(), true, 0, 0},
		{"EE full cert", chain[:1], []TLSA{rec(3, 0, 0, leaf.Raw)}, nil, time.Now(), true, 0, 0},
		{"EE ignores expiry", chain, []TLSA{rec(3, 1, 1, spki256[:])}, nil, time.Now().Add(48 * time.Hour), true, 0, 0},
		{"EE mismatch", chain, []TLSA{rec(3, 1, 1, make([]byte, 32))}, nil, time.Now(), false, 0, 65},
		{"TA cert SHA-256", chain, []TLSA{rec(2, 0, 1, ca256[:])}, []string{"mx.example.test"}, time.Now(), true, 1, 0},
		{"TA SPKI", chain, []TLSA{rec(2, 1, 1, caSPKI[:])}, []string{"example.test", "mx.example.test"}, time.Now(), true, 1, 0},
		{"TA wildcard name", chain, []TLSA{rec(2, 0, 1, ca256[:])}, []string{"a.wild.test"}, time.Now(), true, 1, 0},
		{"TA full cert not in chain", chain[:1], []TLSA{rec(2, 0, 0, ca.Raw)}, []string{"mx.example.test"}, time.Now(), true, 1, 0},
		{"TA name mismatch", chain, []TLSA{rec(2, 0, 1, ca256[:])}, []string{"other.test"}, time.Now(), false, 0, 62},
		{"TA expired", chain, []TLSA{rec(2, 0, 1, ca256[:])}, []string{"mx.example.test"}, time.Now().Add(48 * time.Hour), false, 0, 10},
		{"TA does not match the leaf", chain, []TLSA{rec(2, 1, 1, spki256[:])}, []string{"mx.example.test"}, time.Now(), false, 0, 65},
	}
	for _, tc := range tests {
		res := verifyDANE(tc.chain, tc.recs, tc.names, tc.at)
		if res.Matched != tc.matched || res.Depth != tc.depth || res.FailNum != tc.fail {
			t.Errorf("%s: %+v, want matched %v depth %d fail %d", tc.name, res, tc.matched, tc.depth, tc.fail)
		}
	}
}

func TestTLSAUsableAndString(t *testing.T) {
	leaf, _ := testChain(t, "mx.example.test")
	long := make([]byte, 65)
	long[0], long[64] = 0xab, 0xcd
	tests := []struct {
		in     string
		usable bool
		str    string
	}{
		{"3 1 1 " + hex.EncodeToString(make([]byte, 32)), true, "3 1 1 " + "0000000000000000000000000000000000000000000000000000000000000000"},
		{"3 1 1 0011", false, "3 1 1 0011"},
		{"3 2 1 " + hex.EncodeToString(make([]byte, 32)), false, ""},
		{"2 0 2 " + hex.EncodeToString(make([]byte, 64)), true, ""},
		{"3 0 0 " + hex.EncodeToString(leaf.Raw), true, ""},
		{"3 1 0 " + hex.EncodeToString(leaf.RawSubjectPublicKeyInfo), true, ""},
		{"3 1 0 00ff", false, "3 1 0 00FF"},
		{"1 1 1 " + hex.EncodeToString(make([]byte, 32)), false, ""},
		{"3 1 3 " + hex.EncodeToString(long), false, "3 1 3 AB" + hex.EncodeToString(make([]byte, 31)) + "..." + hex.EncodeToString(make([]byte, 31)) + "CD"},
	}
	for _, tc := range tests {
		r, err := ParseTLSA(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if r.Usable() != tc.usable {
			t.Errorf("%.20s: usable %v", tc.in, !tc.usable)
		}
		if tc.str != "" && r.String() != tc.str {
			t.Errorf("%.20s: %q, want %q", tc.in, r.String(), tc.str)
		}
	}
	for _, bad := range []string{"", "3 1 1", "3 1 x 00", "300 1 1 00", "3 1 1 0g"} {
		if _, err := ParseTLSA(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestNameOneline(t *testing.T) {
	_, ca := testChain(t, "x.test")
	if got := nameOneline(ca.RawSubject); got != "/O=Org/CN=Test CA" {
		t.Errorf("oneline %q", got)
	}
}

func FuzzParseTLSA(f *testing.F) {
	f.Add("3 1 1 00ff")
	f.Add("2 0 0 3082")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseTLSA(s)
		if err != nil {
			return
		}
		r.Usable()
		_ = r.String()
		verifyDANE(nil, []TLSA{r}, []string{"x"}, time.Now())
	})
}

package libtls

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// The key and certificate files of "postfix tls", in the formats that
// postfix-tls-script's openssl(1) commands write with OpenSSL 3: new RSA
// keys as PKCS#8 ("PRIVATE KEY", genrsa), new EC keys as named-curve
// parameters followed by a SEC1 key ("EC PARAMETERS", "EC PRIVATE KEY",
// ecparam -genkey), copied keys as "openssl rsa" (PKCS#8) or "openssl ec"
// (SEC1) print them, and self-signed certificates and requests with the
// script's req configuration.

// Key algorithms as postconf -T public-key-algorithms names them.
const (
	AlgRSA   = "rsa"
	AlgECDSA = "ecdsa"
)

var oidP256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}

// GenerateKey makes a new private key: RSA with param bits, or ECDSA on
// the named curve param (secp256r1, secp384r1 or secp521r1, also by their
// prime256v1/P-256 names). It returns the key and its file text.
func GenerateKey(alg, param string) (crypto.Signer, []byte, error) {
	switch alg {
	case AlgRSA:
		var bits int
		if _, err := fmt.Sscanf(param, "%d", &bits); err != nil || fmt.Sprint(bits) != param || bits < 512 || bits > 16384 {
			return nil, nil, fmt.Errorf("Invalid number of bits: %s", param)
		}
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			return nil, nil, err
		}
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return nil, nil, err
		}
		return k, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
	case AlgECDSA:
		curve, oid, ok := namedCurve(param)
		if !ok {
			return nil, nil, fmt.Errorf("unknown curve name (%s)", param)
		}
		k, err := ecdsa.GenerateKey(curve, rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			return nil, nil, err
		}
		params, _ := asn1.Marshal(oid)
		out := pem.EncodeToMemory(&pem.Block{Type: "EC PARAMETERS", Bytes: params})
		return k, append(out, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})...), nil
	}
	return nil, nil, fmt.Errorf("unsupported key algorithm %q", alg)
}

func namedCurve(name string) (elliptic.Curve, asn1.ObjectIdentifier, bool) {
	switch name {
	case "secp256r1", "prime256v1", "P-256":
		return elliptic.P256(), oidP256, true
	case "secp384r1", "P-384":
		return elliptic.P384(), asn1.ObjectIdentifier{1, 3, 132, 0, 34}, true
	case "secp521r1", "P-521":
		return elliptic.P521(), asn1.ObjectIdentifier{1, 3, 132, 0, 35}, true
	}
	return nil, nil, false
}

// ReadPrivateKey finds the first unencrypted RSA or EC private key in PEM
// text (PKCS#1, PKCS#8 or SEC1), and returns it with its algorithm and
// its text as a copy of the key file would have it.
func ReadPrivateKey(data []byte) (key crypto.Signer, alg string, copied []byte, err error) {
	for len(data) > 0 {
		var b *pem.Block
		if b, data = pem.Decode(data); b == nil {
			break
		}
		var k any
		switch b.Type {
		case "PRIVATE KEY":
			k, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "RSA PRIVATE KEY":
			k, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			k, err = x509.ParseECPrivateKey(b.Bytes)
		default:
			continue
		}
		if err != nil {
			return nil, "", nil, err
		}
		switch k := k.(type) {
		case *rsa.PrivateKey:
			der, err := x509.MarshalPKCS8PrivateKey(k)
			if err != nil {
				return nil, "", nil, err
			}
			return k, AlgRSA, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
		case *ecdsa.PrivateKey:
			der, err := x509.MarshalECPrivateKey(k)
			if err != nil {
				return nil, "", nil, err
			}
			return k, AlgECDSA, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), nil
		}
		return nil, "", nil, errors.New("not an RSA or EC key")
	}
	return nil, "", nil, errors.New("no private key found")
}

// CertPublicKey returns the public key of the first certificate in PEM
// text.
func CertPublicKey(data []byte) (crypto.PublicKey, error) {
	for len(data) > 0 {
		var b *pem.Block
		if b, data = pem.Decode(data); b == nil {
			break
		}
		if b.Type != "CERTIFICATE" && b.Type != "TRUSTED CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		return c.PublicKey, nil
	}
	return nil, errors.New("no certificate found")
}

// SPKIDigest is the lowercase hex SHA-256 of a public key's DER
// SubjectPublicKeyInfo: the data of a "3 1 1" TLSA record.
func SPKIDigest(pub crypto.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:]), nil
}

var (
	oidBasicConstraints = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidSubjectKeyID     = asn1.ObjectIdentifier{2, 5, 29, 14}
	oidExtKeyUsage      = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidSubjectAltName   = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidServerAuth       = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}
	oidClientAuth       = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 2}
	oidCommonName       = asn1.ObjectIdentifier{2, 5, 4, 3}
)

// serverExtensions are the script's req extensions, in its order: in a
// certificate basicConstraints CA:false first, then the subject key
// identifier (SHA-1 of the public key bits), both TLS usages and the DNS
// names.
func serverExtensions(pub crypto.PublicKey, names []string, cert bool) ([]pkix.Extension, error) {
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	var info struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(spki, &info); err != nil {
		return nil, err
	}
	ski := sha1.Sum(info.PublicKey.Bytes)
	skiDER, _ := asn1.Marshal(ski[:])
	ekuDER, _ := asn1.Marshal([]asn1.ObjectIdentifier{oidServerAuth, oidClientAuth})
	var sans []asn1.RawValue
	for _, n := range names {
		sans = append(sans, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2, Bytes: []byte(n)})
	}
	sanDER, err := asn1.Marshal(sans)
	if err != nil {
		return nil, err
	}
	var exts []pkix.Extension
	if cert {
		exts = append(exts, pkix.Extension{Id: oidBasicConstraints, Value: []byte{0x30, 0}})
	}
	return append(exts,
		pkix.Extension{Id: oidSubjectKeyID, Value: skiDER},
		pkix.Extension{Id: oidExtKeyUsage, Value: ekuDER},
		pkix.Extension{Id: oidSubjectAltName, Value: sanDER}), nil
}

// SelfSignedCert makes the script's self-signed server certificate:
// subject and issuer CN=names[0] (UTF8String), a random positive 159-bit
// serial, valid from now for days days, signed with SHA-256.
func SelfSignedCert(key crypto.Signer, names []string, days int, now time.Time) ([]byte, error) {
	exts, err := serverExtensions(key.Public(), names, true)
	if err != nil {
		return nil, err
	}
	subject, err := asn1.Marshal(pkix.RDNSequence{{{Type: oidCommonName, Value: asn1.RawValue{Tag: asn1.TagUTF8String, Bytes: []byte(names[0])}}}})
	if err != nil {
		return nil, err
	}
	serial := make([]byte, 20)
	if _, err := rand.Read(serial); err != nil {
		return nil, err
	}
	serial[0] &= 0x7f
	now = now.UTC().Truncate(time.Second)
	tmpl := &x509.Certificate{
		SerialNumber:    new(big.Int).SetBytes(serial),
		RawSubject:      subject,
		RawIssuer:       subject,
		NotBefore:       now,
		NotAfter:        now.AddDate(0, 0, days),
		ExtraExtensions: exts,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// CertRequest makes the script's certificate signing request: an empty
// subject and the server extensions (without basicConstraints) for names.
func CertRequest(key crypto.Signer, names []string) ([]byte, error) {
	exts, err := serverExtensions(key.Public(), names, false)
	if err != nil {
		return nil, err
	}
	empty, _ := asn1.Marshal(pkix.RDNSequence{})
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		RawSubject: empty, ExtraExtensions: exts}, key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), nil
}

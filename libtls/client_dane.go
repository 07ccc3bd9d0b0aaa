package libtls

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TLSA usages, selectors and matching types (RFC 6698, RFC 7218).
const (
	UsagePKIXTA = 0
	UsagePKIXEE = 1
	UsageDANETA = 2
	UsageDANEEE = 3

	SelectorCert = 0
	SelectorSPKI = 1

	MatchFull   = 0
	MatchSHA256 = 1
	MatchSHA512 = 2
)

// TLSA is one TLSA record: what a DANE server certificate must match.
type TLSA struct {
	Usage, Selector, MType uint8
	Data                   []byte
}

// ParseTLSA reads the "usage selector mtype hexdata" form of a record.
func ParseTLSA(s string) (TLSA, error) {
	f := strings.Fields(s)
	if len(f) != 4 {
		return TLSA{}, fmt.Errorf("malformed TLSA record: %q", s)
	}
	var n [3]uint8
	for i := range n {
		v, err := strconv.ParseUint(f[i], 10, 8)
		if err != nil {
			return TLSA{}, fmt.Errorf("malformed TLSA record: %q", s)
		}
		n[i] = uint8(v)
	}
	data, err := hex.DecodeString(f[3])
	if err != nil {
		return TLSA{}, fmt.Errorf("malformed TLSA record data: %q", s)
	}
	return TLSA{Usage: n[0], Selector: n[1], MType: n[2], Data: data}, nil
}

// String is the record as Postfix logs it: "u s m hex", the data cut to
// its first and last 32 bytes around "..." when longer than 64 bytes
// (tlsa_carp, tlsa_info).
func (t TLSA) String() string {
	const head, tail = 32, 32
	var data string
	switch {
	case len(t.Data) > head+tail:
		data = upperHex(t.Data[:head]) + "..." + upperHex(t.Data[len(t.Data)-tail:])
	case len(t.Data) > 0:
		data = upperHex(t.Data)
	default:
		data = "..."
	}
	return fmt.Sprintf("%d %d %d %s", t.Usage, t.Selector, t.MType, data)
}

// Usable reports whether a DANE-TA or DANE-EE record can be used for
// matching, as OpenSSL's SSL_dane_tlsa_add decides: a known selector,
// a supported matching type with a digest of the right length, and for
// full data a certificate or public key that parses.
func (t TLSA) Usable() bool {
	if t.Usage != UsageDANETA && t.Usage != UsageDANEEE {
		return false
	}
	if t.Selector != SelectorCert && t.Selector != SelectorSPKI {
		return false
	}
	switch t.MType {
	case MatchSHA256:
		return len(t.Data) == sha256.Size
	case MatchSHA512:
		return len(t.Data) == sha512.Size
	case MatchFull:
		if t.Selector == SelectorCert {
			_, err := x509.ParseCertificate(t.Data)
			return err == nil
		}
		_, err := x509.ParsePKIXPublicKey(t.Data)
		return err == nil
	}
	return false
}

// matches reports whether a certificate matches the record's selector
// and matching type.
func (t TLSA) matches(c *x509.Certificate) bool {
	data := c.Raw
	if t.Selector == SelectorSPKI {
		data = c.RawSubjectPublicKeyInfo
	}
	switch t.MType {
	case MatchSHA256:
		d := sha256.Sum256(data)
		return bytes.Equal(d[:], t.Data)
	case MatchSHA512:
		d := sha512.Sum512(data)
		return bytes.Equal(d[:], t.Data)
	case MatchFull:
		return bytes.Equal(data, t.Data)
	}
	return false
}

// DANEResult is the outcome of DANE verification: the record that
// matched and the depth of the certificate it matched, or the OpenSSL
// verification error Postfix logs.
type DANEResult struct {
	Matched  bool
	Depth    int
	Record   TLSA
	FailNum  int
	FailText string
}

// OpenSSL verification errors of a failed DANE check.
const (
	errCertHasExpired   = 10
	errCertNotYetValid  = 9
	errUnableToVerify   = 20
	errHostnameMismatch = 62
	errDANENoMatch      = 65
)

// VerifyDANE checks the server's chain against usable TLSA records
// (RFC 7672): a DANE-EE record matches the server certificate itself,
// without name or validity checks; a DANE-TA record matches a
// certificate of the chain above the server certificate (or is the
// full trust anchor certificate), which must then issue a valid chain
// to a server certificate carrying one of names (exact, "*.domain"
// wildcards for one label).
func (cs *ClientSession) VerifyDANE(records []TLSA, names []string, now time.Time) DANEResult {
	return verifyDANE(cs.Conn.ConnectionState().PeerCertificates, records, names, now)
}

func verifyDANE(chain []*x509.Certificate, records []TLSA, names []string, now time.Time) DANEResult {
	if len(chain) == 0 {
		return DANEResult{FailNum: errDANENoMatch, FailText: "no matching DANE TLSA records"}
	}
	for _, r := range records {
		if r.Usage == UsageDANEEE && r.matches(chain[0]) {
			return DANEResult{Matched: true, Depth: 0, Record: r}
		}
	}
	fail := DANEResult{FailNum: errDANENoMatch, FailText: "no matching DANE TLSA records"}
	for _, r := range records {
		if r.Usage != UsageDANETA {
			continue
		}
		for depth, ta := range taCandidates(r, chain) {
			if ta == nil {
				continue
			}
			res := verifyFromAnchor(chain, ta, depth, names, now)
			if res.Matched {
				res.Record = r
				return res
			}
			fail = res
		}
	}
	return fail
}

// taCandidates are the certificates a DANE-TA record designates, by
// depth: chain certificates above the server certificate that match it,
// and for a full certificate record the certificate itself, one above
// the top of the chain.
func taCandidates(r TLSA, chain []*x509.Certificate) map[int]*x509.Certificate {
	out := map[int]*x509.Certificate{}
	for depth := 1; depth < len(chain); depth++ {
		if r.matches(chain[depth]) {
			out[depth] = chain[depth]
		}
	}
	if r.MType == MatchFull && r.Selector == SelectorCert {
		if c, err := x509.ParseCertificate(r.Data); err == nil {
			if _, dup := out[len(chain)]; !dup {
				out[len(chain)] = c
			}
		}
	}
	return out
}

// verifyFromAnchor verifies the server certificate up to a trust anchor
// and then its names.
func verifyFromAnchor(chain []*x509.Certificate, ta *x509.Certificate, depth int, names []string, now time.Time) DANEResult {
	leaf := chain[0]
	switch {
	case now.After(leaf.NotAfter):
		return DANEResult{FailNum: errCertHasExpired, FailText: "certificate has expired"}
	case now.Before(leaf.NotBefore):
		return DANEResult{FailNum: errCertNotYetValid, FailText: "certificate is not yet valid"}
	}
	if depth > 0 {
		roots := x509.NewCertPool()
		roots.AddCert(ta)
		inter := x509.NewCertPool()
		for _, c := range chain[1:min(depth, len(chain))] {
			inter.AddCert(c)
		}
		if leaf.Equal(ta) {
			return DANEResult{FailNum: errDANENoMatch, FailText: "no matching DANE TLSA records"}
		}
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			return DANEResult{FailNum: errUnableToVerify, FailText: "unable to get local issuer certificate"}
		}
	}
	if !namesMatch(leaf, names) {
		return DANEResult{FailNum: errHostnameMismatch, FailText: "hostname mismatch"}
	}
	return DANEResult{Matched: true, Depth: depth}
}

// upperHex is hex_encode: upper-case digits.
func upperHex(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

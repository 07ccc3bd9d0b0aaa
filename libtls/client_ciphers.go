package libtls

import (
	"crypto/tls"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrNoCipherMatch is a cipher list that selects no suite.
var ErrNoCipherMatch = errors.New("no cipher match")

// Cipher grades (tls_cipher_grade).
var cipherGrades = []string{"export", "low", "medium", "high", "null"}

// GradeLists are the OpenSSL cipher lists of the grades:
// tls_export_cipherlist, tls_low_cipherlist, tls_medium_cipherlist,
// tls_high_cipherlist and tls_null_cipherlist, by grade name.
type GradeLists map[string]string

// CipherList is tls_set_ciphers: the cipher list of a grade with
// "!NAME" appended for each exclusion. The error is Postfix's warning
// text without the server's name.
func CipherList(grade string, lists GradeLists, exclusions string) (string, error) {
	var list string
	for _, g := range cipherGrades {
		if strings.EqualFold(grade, g) {
			list = lists[g]
		}
	}
	if list == "" {
		return "", fmt.Errorf("invalid cipher grade: \"%s\"", grade)
	}
	for _, tok := range strings.FieldsFunc(exclusions, func(r rune) bool { return strings.ContainsRune(", \t\r\n:", r) }) {
		if strings.ContainsRune("!+-@", rune(tok[0])) {
			return "", fmt.Errorf("invalid unary '!+-@' in cipher exclusion: %s", tok)
		}
		list += ":!" + tok
	}
	return list, nil
}

// suite is a TLS 1.0-1.2 cipher suite Go implements, with the OpenSSL
// name and the properties OpenSSL cipher strings select by.
type suite struct {
	id       uint16
	name     string
	kx, au   string // kRSA/kECDHE, aRSA/aECDSA
	enc      string // AES128, AES256, AESGCM128, AESGCM256, CHACHA20, 3DES
	mac      string // SHA1, SHA256, SHA384, AEAD
	strength string // HIGH, MEDIUM
	bits     int
	tls12    bool // needs TLS 1.2
}

var suites = []suite{
	{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "ECDHE-ECDSA-AES256-GCM-SHA384", "kECDHE", "aECDSA", "AESGCM256", "AEAD", "HIGH", 256, true},
	{tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "ECDHE-RSA-AES256-GCM-SHA384", "kECDHE", "aRSA", "AESGCM256", "AEAD", "HIGH", 256, true},
	{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-ECDSA-CHACHA20-POLY1305", "kECDHE", "aECDSA", "CHACHA20", "AEAD", "HIGH", 256, true},
	{tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-RSA-CHACHA20-POLY1305", "kECDHE", "aRSA", "CHACHA20", "AEAD", "HIGH", 256, true},
	{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "ECDHE-ECDSA-AES128-GCM-SHA256", "kECDHE", "aECDSA", "AESGCM128", "AEAD", "HIGH", 128, true},
	{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "ECDHE-RSA-AES128-GCM-SHA256", "kECDHE", "aRSA", "AESGCM128", "AEAD", "HIGH", 128, true},
	{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, "ECDHE-ECDSA-AES128-SHA256", "kECDHE", "aECDSA", "AES128", "SHA256", "HIGH", 128, true},
	{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, "ECDHE-RSA-AES128-SHA256", "kECDHE", "aRSA", "AES128", "SHA256", "HIGH", 128, true},
	{tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, "ECDHE-ECDSA-AES256-SHA", "kECDHE", "aECDSA", "AES256", "SHA1", "HIGH", 256, false},
	{tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, "ECDHE-RSA-AES256-SHA", "kECDHE", "aRSA", "AES256", "SHA1", "HIGH", 256, false},
	{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, "ECDHE-ECDSA-AES128-SHA", "kECDHE", "aECDSA", "AES128", "SHA1", "HIGH", 128, false},
	{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, "ECDHE-RSA-AES128-SHA", "kECDHE", "aRSA", "AES128", "SHA1", "HIGH", 128, false},
	{tls.TLS_RSA_WITH_AES_256_GCM_SHA384, "AES256-GCM-SHA384", "kRSA", "aRSA", "AESGCM256", "AEAD", "HIGH", 256, true},
	{tls.TLS_RSA_WITH_AES_128_GCM_SHA256, "AES128-GCM-SHA256", "kRSA", "aRSA", "AESGCM128", "AEAD", "HIGH", 128, true},
	{tls.TLS_RSA_WITH_AES_128_CBC_SHA256, "AES128-SHA256", "kRSA", "aRSA", "AES128", "SHA256", "HIGH", 128, true},
	{tls.TLS_RSA_WITH_AES_256_CBC_SHA, "AES256-SHA", "kRSA", "aRSA", "AES256", "SHA1", "HIGH", 256, false},
	{tls.TLS_RSA_WITH_AES_128_CBC_SHA, "AES128-SHA", "kRSA", "aRSA", "AES128", "SHA1", "HIGH", 128, false},
	{tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA, "ECDHE-RSA-DES-CBC3-SHA", "kECDHE", "aRSA", "3DES", "SHA1", "MEDIUM", 112, false},
	{tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA, "DES-CBC3-SHA", "kRSA", "aRSA", "3DES", "SHA1", "MEDIUM", 112, false},
}

// matches reports whether a suite has one property of a cipher string
// alias (one part of "A+B").
func (s suite) matches(alias string) bool {
	switch strings.ToUpper(alias) {
	case "ALL", "DEFAULT":
		return true
	case "HIGH", "MEDIUM":
		return s.strength == strings.ToUpper(alias)
	case "KRSA", "RSA":
		return s.kx == "kRSA" || (strings.EqualFold(alias, "RSA") && s.au == "aRSA")
	case "ARSA":
		return s.au == "aRSA"
	case "KECDHE", "KEECDH", "ECDHE", "EECDH":
		return s.kx == "kECDHE"
	case "AECDSA", "ECDSA":
		return s.au == "aECDSA"
	case "AES":
		return strings.HasPrefix(s.enc, "AES")
	case "AES128":
		return s.enc == "AES128" || s.enc == "AESGCM128"
	case "AES256":
		return s.enc == "AES256" || s.enc == "AESGCM256"
	case "AESGCM":
		return strings.HasPrefix(s.enc, "AESGCM")
	case "CHACHA20":
		return s.enc == "CHACHA20"
	case "3DES":
		return s.enc == "3DES"
	case "SHA1", "SHA":
		return s.mac == "SHA1"
	case "SHA256":
		return s.mac == "SHA256" || (s.mac == "AEAD" && s.bits == 128) || s.enc == "CHACHA20"
	case "SHA384":
		return s.mac == "AEAD" && s.bits == 256 && s.enc != "CHACHA20"
	case "TLSV1.2":
		return s.tls12
	case "TLSV1", "SSLV3":
		return !s.tls12
	}
	return strings.EqualFold(alias, s.name)
}

// CipherSuites interprets an OpenSSL cipher list for the TLS 1.0-1.2
// suites Go implements: words separated by ':', ',' or spaces; "A+B"
// for suites with both properties; "!" removes for good, "-" removes,
// "+" moves to the end; "@STRENGTH" sorts by key length. Unknown words
// select nothing, as in OpenSSL. TLS 1.3 suites are not affected.
func CipherSuites(list string) []uint16 {
	var active []suite
	killed := map[uint16]bool{}
	has := func(id uint16) int {
		for i, s := range active {
			if s.id == id {
				return i
			}
		}
		return -1
	}
	for _, w := range strings.FieldsFunc(list, func(r rune) bool { return strings.ContainsRune(": ,\t", r) }) {
		op := byte(0)
		if strings.ContainsRune("!-+", rune(w[0])) {
			op, w = w[0], w[1:]
		}
		if strings.EqualFold(w, "@STRENGTH") {
			sort.SliceStable(active, func(i, j int) bool { return active[i].bits > active[j].bits })
			continue
		}
		if strings.HasPrefix(w, "@") {
			continue
		}
		var sel []suite
		for _, s := range suites {
			all := true
			for _, part := range strings.Split(w, "+") {
				all = all && part != "" && s.matches(part)
			}
			if all {
				sel = append(sel, s)
			}
		}
		for _, s := range sel {
			i := has(s.id)
			switch op {
			case '!':
				killed[s.id] = true
				fallthrough
			case '-':
				if i >= 0 {
					active = append(active[:i], active[i+1:]...)
				}
			case '+':
				if i >= 0 {
					active = append(append(active[:i], active[i+1:]...), s)
				}
			default:
				if i < 0 && !killed[s.id] {
					active = append(active, s)
				}
			}
		}
	}
	out := make([]uint16, 0, len(active))
	for _, s := range active {
		out = append(out, s.id)
	}
	return out
}

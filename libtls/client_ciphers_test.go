package libtls

import (
	"crypto/tls"
	"strings"
	"testing"
)

func suiteNames(ids []uint16) string {
	var out []string
	for _, id := range ids {
		for _, s := range suites {
			if s.id == id {
				out = append(out, s.name)
			}
		}
	}
	return strings.Join(out, ":")
}

func TestCipherSuites(t *testing.T) {
	tests := []struct{ list, want string }{
		{"ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES128-SHA"},
		{"kECDHE+aRSA+AESGCM", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256"},
		{"aRSA+SHA1:!kRSA", "ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA:ECDHE-RSA-DES-CBC3-SHA"},
		{"MEDIUM:-kECDHE", "DES-CBC3-SHA"},
		{"3DES:AES128-SHA:+3DES", "AES128-SHA:ECDHE-RSA-DES-CBC3-SHA:DES-CBC3-SHA"},
		{"AES128-SHA:AES256-SHA:@STRENGTH", "AES256-SHA:AES128-SHA"},
		{"!AES256-SHA:AES256-SHA", ""},
		{"-AES256-SHA:AES256-SHA", "AES256-SHA"},
		{"eNULL:!aNULL", ""},
		{"LOW:EXPORT:bogus", ""},
		{"aECDSA+CHACHA20 RSA+CHACHA20", "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"},
		{"TLSv1.2+kRSA+AES128+SHA256", "AES128-GCM-SHA256:AES128-SHA256"},
	}
	for _, tc := range tests {
		if got := suiteNames(CipherSuites(tc.list)); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.list, got, tc.want)
		}
	}
	high := CipherSuites("aNULL:-aNULL:HIGH:@STRENGTH")
	if len(high) != 17 || strings.Contains(suiteNames(high), "CBC3") {
		t.Errorf("high: %s", suiteNames(high))
	}
	medium := suiteNames(CipherSuites("aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH:!HIGH"))
	if medium != "ECDHE-RSA-DES-CBC3-SHA:DES-CBC3-SHA" {
		t.Errorf("medium without high: %s", medium)
	}
	for _, s := range suites {
		if tls.CipherSuiteName(s.id) == "" || strings.HasPrefix(tls.CipherSuiteName(s.id), "0x") {
			t.Errorf("%s: not a Go suite", s.name)
		}
	}
}

func TestCipherList(t *testing.T) {
	lists := GradeLists{"high": "HIGH", "medium": "HIGH:MEDIUM", "low": "L", "export": "E", "null": "eNULL"}
	tests := []struct{ grade, exclude, want, err string }{
		{"medium", "", "HIGH:MEDIUM", ""},
		{"HIGH", "aNULL, MD5 kRSA:3DES", "HIGH:!aNULL:!MD5:!kRSA:!3DES", ""},
		{"bogus", "", "", `invalid cipher grade: "bogus"`},
		{"high", "!RC4", "", "invalid unary '!+-@' in cipher exclusion: !RC4"},
	}
	for _, tc := range tests {
		got, err := CipherList(tc.grade, lists, tc.exclude)
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
			t.Errorf("%s/%s: %q %v, want %q %q", tc.grade, tc.exclude, got, err, tc.want, tc.err)
		}
	}
}

package libtls

import (
	"crypto/tls"
	"testing"
)

func TestProtocolRange(t *testing.T) {
	for _, tc := range []struct {
		spec   string
		lo, hi uint16
		bad    bool
	}{
		{"", tls.VersionTLS10, tls.VersionTLS13, false},
		{">=TLSv1.2", tls.VersionTLS12, tls.VersionTLS13, false},
		{"<=TLSv1.2", tls.VersionTLS10, tls.VersionTLS12, false},
		{"!SSLv2, !SSLv3", tls.VersionTLS10, tls.VersionTLS13, false},
		{"!SSLv2, !SSLv3, !TLSv1, !TLSv1.1", tls.VersionTLS12, tls.VersionTLS13, false},
		{"TLSv1.2 TLSv1.3", tls.VersionTLS12, tls.VersionTLS13, false},
		{">=TLSv1.2 <=TLSv1.2", tls.VersionTLS12, tls.VersionTLS12, false},
		{"!TLSv1.3 !TLSv1.2 !TLSv1.1 !TLSv1", 0, 0, true},
		{"TLSv9", 0, 0, true},
	} {
		lo, hi, err := ProtocolRange(tc.spec)
		if (err != nil) != tc.bad || (!tc.bad && (lo != tc.lo || hi != tc.hi)) {
			t.Errorf("%q: %x %x %v", tc.spec, lo, hi, err)
		}
	}
}

func TestLevelFrom(t *testing.T) {
	var warns []string
	warn := func(s string) { warns = append(warns, s) }
	for _, tc := range []struct {
		level        string
		use, enforce bool
		want         string
	}{
		{"", false, false, LevelNone},
		{"", true, false, LevelMay},
		{"", true, true, LevelEncrypt},
		{"may", false, true, LevelMay},
		{"ENCRYPT", false, false, LevelEncrypt},
		{"verify", false, false, LevelEncrypt},
		{"bogus", true, false, LevelMay},
	} {
		if got := LevelFrom(tc.level, tc.use, tc.enforce, warn); got != tc.want {
			t.Errorf("%q/%v/%v: %s want %s", tc.level, tc.use, tc.enforce, got, tc.want)
		}
	}
	if len(warns) != 2 || warns[1] != `smtpd_tls_security_level: ignoring unknown TLS level "bogus"` {
		t.Errorf("warnings: %q", warns)
	}
}

package stdtypes

import "testing"

// FuzzCIDRRule parses arbitrary cidr table lines: bad rules must come
// back as a reason, never a failure, and a good rule must match or not
// match addresses without trouble.
func FuzzCIDRRule(f *testing.F) {
	for _, s := range []string{
		"192.168.0.0/16 private", "!127.0.0.0/8 x", "if 10.0.0.0/8", "endif", "ENDIF junk",
		"10.0.0.1/8 bits", "[2001:db8::]/32 v6", "[1.2.3.4 x", "1.2.3.4", "::/0 any",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, why := parseCIDRRule(line, 1)
		if why != "" || r.op == cidrEndif {
			return
		}
		for _, a := range []string{"1.2.3.4", "2001:db8::1"} {
			addr, _ := parseAddr(a)
			r.matches(addr)
		}
	})
}

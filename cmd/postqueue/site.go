package main

import (
	"net/netip"
	"strings"

	"gopostfix/libglobal/params"
)

// validSite checks a -s argument: a host name (valid_hostname), or an
// address literal "[1.2.3.4]" / "[IPv6:...]" (valid_mailhost_literal).
func validSite(site string) bool {
	if !strings.HasPrefix(site, "[") {
		return params.CheckHostname(site) == ""
	}
	inner, ok := strings.CutSuffix(site[1:], "]")
	if !ok || strings.ContainsAny(inner, "[]") {
		return false
	}
	if v6, ok := cutPrefixFold(inner, "IPv6:"); ok {
		a, err := netip.ParseAddr(v6)
		return err == nil && a.Is6() && a.Zone() == ""
	}
	return validIPv4(inner)
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// validIPv4 is valid_ipv4_hostaddr: four dot-separated decimal bytes,
// the first not zero.
func validIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for i, p := range parts {
		if p == "" || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return false
		}
		n := 0
		for _, c := range p {
			n = n*10 + int(c-'0')
		}
		if n > 255 || (i == 0 && n == 0) {
			return false
		}
	}
	return true
}

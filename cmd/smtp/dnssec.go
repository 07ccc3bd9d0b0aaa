package main

import (
	"strings"

	"gopostfix/libglobal/dns"
)

// dnssecCheck follows the DNSSEC status of lookups that asked for it:
// once one reply was validated the resolver is known to validate;
// before that, the first unvalidated reply makes the process ask
// dnssec_probe once and warn when that is not validated either
// (dns_sec_probe).
func (a *agent) dnssecCheck(res dns.XResult) {
	if res.AD {
		a.dnssecSeen = true
		return
	}
	if a.dnssecSeen || a.dnssecProbed {
		return
	}
	a.dnssecProbed = true
	spec := a.s.Str("dnssec_probe")
	if spec == "" {
		return
	}
	typ, name, ok := strings.Cut(spec, ":")
	qtype := dns.TypeByName(typ)
	if !ok || name == "" || qtype == 0 {
		a.fatal("malformed dnssec_probe value: %s format is qtype:qname", spec)
	}
	probe := a.resolver.LookupX(name, qtype, true)
	if probe.AD {
		a.dnssecSeen = true
		return
	}
	a.log.Warnf("DNSSEC validation may be unavailable")
	switch probe.Status {
	case dns.XRetry, dns.XFail:
		a.log.Warnf("reason: dnssec_probe '%s' received no response: %s", spec, probe.Why)
	default:
		a.log.Warnf("reason: dnssec_probe '%s' received a response that is not DNSSEC validated", spec)
	}
}

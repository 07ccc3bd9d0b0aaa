package main

import (
	"fmt"
	"strings"

	"gopostfix/libglobal/dns"
	"gopostfix/libglobal/dsn"
	"gopostfix/libtls"
)

// Why DANE does not apply to a destination (dane_incompat): the
// configuration, the destination (no DNSSEC, no TLSA records), or TLSA
// records that cannot authenticate the server.
const (
	nonDaneConfig = iota
	nonDaneDest
	daneCantAuth
)

// TLSA lookup outcomes (TLS_DANE_FLAG_*).
const (
	tlsaFound = iota
	tlsaNotFound
	tlsaUnusable
	tlsaError
)

// daneInit decides what the dane and dane-only levels become for one
// server (dane_init): the TLSA records of a DNSSEC-validated server, or
// a fallback to may, encrypt or failure by the rules of RFC 7672 and
// smtp_tls_dane_insecure_mx_policy.
func (a *agent) daneInit(pol *tlsPolicy, it iterator) {
	cfg := a.cfg
	level := tlsLevelName(pol.level)
	if it.port == 0 {
		a.log.Warnf("%s: the \"dane\" security level is invalid for delivery via unix-domain sockets", it.dest)
		markInvalid(pol)
		return
	}
	if cfg.hostLookup&lookupDNS == 0 || cfg.dnsSupport != dnsDNSSEC {
		a.daneIncompat(pol, nonDaneConfig, "%s: %s configured with dnssec lookups disabled", it.dest, level)
		return
	}
	if !cfg.lmtp && cfg.ignMXErr {
		a.daneIncompat(pol, nonDaneConfig, "%s: %s configured with MX lookup errors ignored", it.dest, level)
		return
	}
	for _, o := range splitWords(strings.ToLower(cfg.resolverOptions)) {
		if o == "res_defnames" || o == "res_dnsrch" {
			a.daneIncompat(pol, nonDaneConfig, "%s: dns resolver options incompatible with %s TLS", it.dest, level)
			return
		}
	}
	insecureMX := it.mxName != "" && !it.mxDNSSEC
	if insecureMX && (pol.level == tlsDaneOnly || cfg.tls.insecureMX <= tlsMay) {
		a.daneIncompat(pol, nonDaneDest, "non DNSSEC destination")
		return
	}
	recs, status := a.tlsaResolve(it)
	switch status {
	case tlsaError:
		pol.level = tlsInvalid
		pol.why = dsn.Simple("4.7.5", fmt.Sprintf("TLSA lookup error for %s:%d", it.host, it.port))
		return
	case tlsaNotFound:
		a.daneIncompat(pol, nonDaneDest, "no TLSA records found")
		return
	case tlsaUnusable:
		a.daneIncompat(pol, daneCantAuth, "TLSA records unusable")
		return
	}
	if insecureMX {
		if cfg.tls.insecureMX == tlsEncrypt {
			a.daneIncompat(pol, daneCantAuth, "Verification not possible, MX RRset is insecure")
			return
		}
		pol.level = tlsHalfDane
	}
	pol.dane, pol.daneBase = recs, it.host
	pol.match = []string{it.host}
	if it.mxName != "" {
		pol.match = append(pol.match, it.mxName)
	}
}

// daneIncompat applies a reason why DANE does not apply: "dane" falls
// back to "encrypt" (records that cannot authenticate) or "may",
// "dane-only" fails; configuration problems are warned about.
func (a *agent) daneIncompat(pol *tlsPolicy, why int, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	if pol.level == tlsDane {
		pol.level = tlsMay
		if why == daneCantAuth {
			pol.level = tlsEncrypt
		}
		if why == nonDaneConfig {
			a.log.Warnf("%s", text)
		}
		return
	}
	if why == nonDaneConfig {
		a.log.Warnf("%s", text)
		markInvalid(pol)
		return
	}
	pol.level = tlsInvalid
	pol.why = dsn.Simple("4.7.5", text)
}

// tlsaResolve looks up the TLSA records of a server, "_PORT._tcp.HOST",
// when its address records were DNSSEC-validated (or
// smtp_tls_force_insecure_host_tlsa_lookup says to look anyway); records
// count only when validated (tls_dane_resolve, dane_lookup). PKIX usages
// and the private matching type are dropped with a warning.
func (a *agent) tlsaResolve(it iterator) ([]libtls.TLSA, int) {
	if !a.cfg.tls.forceTLSA && !it.hostDNSSEC {
		return nil, tlsaNotFound
	}
	qname := fmt.Sprintf("_%d._tcp.%s", it.port, it.host)
	res := a.lookup(qname, dns.TypeTLSA, true)
	if res.Status != dns.XOK && res.Status != dns.XNotFound {
		// Postfix's TLSA cache keeps a failed lookup with an expiry
		// time of zero, so it is refreshed, that is looked up and
		// warned about again, before it is used.
		a.log.Warnf("DANE TLSA lookup problem: %s", res.Why)
		res = a.lookup(qname, dns.TypeTLSA, true)
	}
	switch res.Status {
	case dns.XOK:
	case dns.XNotFound:
		return nil, tlsaNotFound
	default:
		a.log.Warnf("DANE TLSA lookup problem: %s", res.Why)
		return nil, tlsaError
	}
	if !res.AD {
		return nil, tlsaNotFound
	}
	var recs []libtls.TLSA
	for _, r := range res.Records {
		t, err := libtls.ParseTLSA(r.Data)
		if err != nil {
			continue
		}
		switch {
		case t.Usage != libtls.UsageDANETA && t.Usage != libtls.UsageDANEEE:
			a.log.Warnf("%s unsupported TLSA certificate usage: %s", qname, t)
		case t.MType == 255:
			a.log.Warnf("%s reserved private-use matching type: %s", qname, t)
		default:
			recs = append(recs, t)
		}
	}
	if len(recs) == 0 {
		return nil, tlsaUnusable
	}
	return recs, tlsaFound
}

// daneLevel reports the levels whose certificate check is DANE.
func daneLevel(l int) bool { return l == tlsHalfDane || l == tlsDane || l == tlsDaneOnly }

// daneEnable keeps the records the TLS library can use, warning about
// the others; with none left, "dane" becomes unauthenticated TLS and
// "dane-only" must fail (tls_dane_enable and its caller).
func (st *state) daneEnable() (usable []libtls.TLSA, mustFail bool) {
	pol, namaddr := st.tls, st.sess.namaddrport
	for _, t := range pol.dane {
		if t.Usable() {
			usable = append(usable, t)
		} else {
			st.ag.log.Warnf("%s: unusable TLSA RR: %s", namaddr, t)
		}
	}
	if len(usable) > 0 {
		return usable, false
	}
	switch pol.level {
	case tlsHalfDane, tlsDane:
		st.ag.log.Warnf("%s: all TLSA records unusable, fallback to unauthenticated TLS", namaddr)
		pol.level = tlsEncrypt
		return nil, false
	}
	st.ag.log.Warnf("%s: all TLSA records unusable", namaddr)
	return nil, true
}

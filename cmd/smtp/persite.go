package main

import (
	"strings"

	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
)

// openTLSPerSite opens the legacy smtp_tls_per_site table, which is
// used only without smtp_tls_policy_maps (smtp_tls_list_init).
func (a *agent) openTLSPerSite() (err error) {
	tc := a.cfg.tls
	if tc.policyMaps != "" || tc.perSite == "" {
		return nil
	}
	a.tlsPerSite, err = maps.Open(a.reg, a.par.name("smtp_tls_per_site"), tc.perSite,
		dict.FlagLock|dict.FlagFoldFix|dict.FlagUTF8Request, a.log)
	return err
}

// perSiteLevel looks the next hop and the server name up in
// smtp_tls_per_site (equal precedence, the stronger level wins, NONE
// beats MAY) and lets a stronger global level override a MAY wildcard.
func (a *agent) perSiteLevel(pol *tlsPolicy, it iterator) int {
	site := tlsNotFound
	a.tlsSiteLookup(pol, &site, it.dest, "next-hop destination")
	if site != tlsInvalid && !strings.EqualFold(it.dest, it.host) {
		a.tlsSiteLookup(pol, &site, it.host, "server hostname")
	}
	if site == tlsMay && pol.level > tlsMay {
		site = pol.level
	}
	return site
}

// tlsSiteLookup merges one per-site entry into the site level
// (tls_site_lookup): NONE overrides MAY, MAY only "not found",
// MUST_NOPEERMATCH means encrypt and MUST verify.
func (a *agent) tlsSiteLookup(pol *tlsPolicy, site *int, name, class string) {
	v, found, err := a.tlsPerSite.Find(name, false)
	switch {
	case err != nil:
		a.log.Warnf("%s: %s \"%s\": per-site table lookup error", a.tlsPerSite.Title, class, name)
		pol.why = dsn.Simple("4.3.0", "Temporary lookup error")
		*site = tlsInvalid
	case !found:
	case strings.EqualFold(v, "NONE"):
		if *site <= tlsMay {
			*site = tlsNone
		}
	case strings.EqualFold(v, "MAY"):
		if *site < tlsNone {
			*site = tlsMay
		}
	case strings.EqualFold(v, "MUST_NOPEERMATCH"):
		if *site < tlsEncrypt {
			*site = tlsEncrypt
		}
	case strings.EqualFold(v, "MUST"):
		if *site < tlsVerify {
			*site = tlsVerify
		}
	default:
		a.log.Warnf("%s: unknown TLS policy '%s' for %s %s", a.tlsPerSite.Title, v, class, name)
		markInvalid(pol)
		*site = tlsInvalid
	}
}

package main

import (
	"fmt"
	"strings"

	"gopostfix/libglobal/dns"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libtls"
)

// TLS security levels (tls_level_lookup); the order matters.
const (
	tlsInvalid  = -2
	tlsNotFound = -1
	tlsNone     = 0
	tlsMay      = 1
	tlsEncrypt  = 2
	tlsFprint   = 3
	tlsHalfDane = 4
	tlsDane     = 5
	tlsDaneOnly = 6
	tlsVerify   = 7
	tlsSecure   = 8
)

var tlsLevelNames = map[string]int{"none": tlsNone, "may": tlsMay, "encrypt": tlsEncrypt,
	"fingerprint": tlsFprint, "dane": tlsDane, "dane-only": tlsDaneOnly, "verify": tlsVerify, "secure": tlsSecure}

func tlsLevelLookup(name string) int {
	if l, ok := tlsLevelNames[strings.ToLower(name)]; ok {
		return l
	}
	return tlsInvalid
}

func tlsLevelName(l int) string {
	for n, v := range tlsLevelNames {
		if v == l {
			return n
		}
	}
	return "unknown"
}

// tlsRequired and tlsMustMatch are TLS_REQUIRED and TLS_MUST_MATCH.
func tlsRequired(l int) bool  { return l > tlsMay }
func tlsMustMatch(l int) bool { return l > tlsEncrypt }

// tlsPolicy is the TLS policy of one server (SMTP_TLS_POLICY).
type tlsPolicy struct {
	level     int
	protocols string
	sni       string
	match     []string // verify/secure names
	fprints   []string // fingerprint digests
	connReuse bool
	why       dsn.DSN
	grade     string        // cipher grade (ciphers=)
	exclude   string        // cipher exclusions (exclude=)
	excludeOK bool          // exclusions set by the policy table
	dane      []libtls.TLSA // DANE TLSA records (usages 2 and 3)
	daneBase  string        // the TLSA base domain, sent as SNI
}

// tlsConfig holds the smtp_tls_* parameters.
type tlsConfig struct {
	level                                      int
	policyMaps, perSite                        string
	protocols, mandProtocols                   string
	sni, verifyMatch, secureMatch, fprintMatch string
	fprintDigest, caFile, caPath               string
	certFile, keyFile                          string
	loglevel                                   int
	connReuse, wrapperMode, noteStartTLS       bool
	blockEarlyMailReply                        bool
	ciphers, mandCiphers                       string
	exclude, mandExclude                       string
	insecureMX                                 int  // smtp_tls_dane_insecure_mx_policy
	forceTLSA                                  bool // smtp_tls_force_insecure_host_tlsa_lookup
}

// loadTLSConfig reads the TLS parameters and the global level
// (global_tls_level, with the legacy switches).
func loadTLSConfig(p params) (tlsConfig, error) {
	c := tlsConfig{policyMaps: p.str("smtp_tls_policy_maps"), perSite: p.str("smtp_tls_per_site"),
		protocols: p.str("smtp_tls_protocols"), mandProtocols: p.str("smtp_tls_mandatory_protocols"),
		sni: p.str("smtp_tls_servername"), verifyMatch: p.str("smtp_tls_verify_cert_match"),
		secureMatch: p.str("smtp_tls_secure_cert_match"), fprintMatch: p.str("smtp_tls_fingerprint_cert_match"),
		fprintDigest: p.str("smtp_tls_fingerprint_digest"), caFile: p.str("smtp_tls_CAfile"),
		caPath: p.str("smtp_tls_CApath"), certFile: p.str("smtp_tls_cert_file"), keyFile: p.str("smtp_tls_key_file"),
		loglevel: p.integer("smtp_tls_loglevel"), connReuse: p.boolean("smtp_tls_connection_reuse"),
		wrapperMode: p.boolean("smtp_tls_wrappermode"), noteStartTLS: p.boolean("smtp_tls_note_starttls_offer"),
		blockEarlyMailReply: p.boolean("smtp_tls_block_early_mail_reply")}
	c.forceTLSA = p.boolean("smtp_tls_force_insecure_host_tlsa_lookup")
	c.ciphers, c.mandCiphers = p.str("smtp_tls_ciphers"), p.str("smtp_tls_mandatory_ciphers")
	c.exclude, c.mandExclude = p.str("smtp_tls_exclude_ciphers"), p.str("smtp_tls_mandatory_exclude_ciphers")
	if !p.lmtp {
		v := p.str("smtp_tls_dane_insecure_mx_policy")
		switch c.insecureMX = tlsLevelLookup(v); c.insecureMX {
		case tlsMay, tlsEncrypt, tlsDane:
		default:
			return c, fmt.Errorf("invalid %s: \"%s\"", "smtp_tls_dane_insecure_mx_policy", v)
		}
	}
	switch lvl := p.str("smtp_tls_security_level"); {
	case lvl != "":
		if c.level = tlsLevelLookup(lvl); c.level == tlsInvalid {
			return c, fmt.Errorf("Invalid TLS level \"%s\"", lvl)
		}
	case p.boolean("smtp_enforce_tls"):
		c.level = tlsEncrypt
		if p.boolean("smtp_tls_enforce_peername") {
			c.level = tlsVerify
		}
	case p.boolean("smtp_use_tls"):
		c.level = tlsMay
	}
	return c, nil
}

// tlsPolicyLookup finds the policy of the current server
// (smtp_tls_policy_cache_query); false with st.why set when it is
// invalid.
func (st *state) tlsPolicyLookup() bool {
	a := st.ag
	key := st.it.dest + ":" + st.it.host + ":" + fmt.Sprint(st.it.port)
	pol, ok := a.tlsPolicies[key]
	if !ok {
		pol = a.policyCreate(st.it)
		a.tlsPolicies[key] = pol
	}
	cp := *pol
	st.tls = &cp
	if pol.level == tlsInvalid {
		st.why = pol.why
		return false
	}
	return true
}

// policyCreate computes a policy (policy_create): the global level, or
// the smtp_tls_policy_maps entry of the nexthop (or of a parent
// domain), then the defaults of the level.
func (a *agent) policyCreate(it iterator) *tlsPolicy {
	tc := a.cfg.tls
	pol := &tlsPolicy{level: tc.level, connReuse: tc.connReuse}
	site := tlsNotFound
	if a.tlsPolicyMaps != nil {
		name := it.dest
		for {
			site = a.tlsPolicyLookupOne(pol, name)
			if site != tlsNotFound || !dns.ValidHostname(name) {
				break
			}
			i := strings.IndexByte(name[1:], '.')
			if i < 0 {
				break
			}
			name = name[1+i:]
		}
	} else if a.tlsPerSite != nil {
		site = a.perSiteLevel(pol, it)
	}
	switch site {
	case tlsNotFound:
	case tlsInvalid:
		pol.level = tlsInvalid
		return pol
	default:
		pol.level = site
	}
	if pol.level == tlsDane || pol.level == tlsDaneOnly {
		a.daneInit(pol, it)
	}
	if pol.level == tlsInvalid {
		return pol
	}
	if pol.level > tlsNone && pol.protocols == "" {
		pol.protocols = tc.mandProtocols
		if pol.level == tlsMay {
			pol.protocols = tc.protocols
		}
	}
	if pol.level > tlsNone && pol.sni == "" {
		if tc.sni != "" && tc.sni != "hostname" && tc.sni != "nexthop" && !dns.ValidHostname(tc.sni) {
			a.log.Warnf("\"%s = %s\" specifies an invalid hostname", a.par.name("smtp_tls_servername"), tc.sni)
			return markInvalid(pol)
		}
		pol.sni = tc.sni
	}
	a.setCipherGrade(pol)
	switch pol.level {
	case tlsFprint:
		if len(pol.fprints) == 0 {
			pol.fprints = splitWords(tc.fprintMatch)
			if len(pol.fprints) == 0 {
				a.log.Warnf("nexthop domain %s: configured at fingerprint security level, but with no fingerprints to match.", it.dest)
				return markInvalid(pol)
			}
		}
	case tlsVerify, tlsSecure:
		if pol.match == nil {
			v := tc.verifyMatch
			if pol.level == tlsSecure {
				v = tc.secureMatch
			}
			pol.match = strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(", \t\r\n:", r) })
		}
	}
	return pol
}

// setCipherGrade picks the cipher grade and exclusions of the level
// (set_cipher_grade): smtp_tls_ciphers at may, smtp_tls_mandatory_ciphers
// and its exclusions above; an exclude= policy attribute replaces the
// main.cf exclusions.
func (a *agent) setCipherGrade(pol *tlsPolicy) {
	tc := a.cfg.tls
	mandExclude, alsoExclude := "", ""
	switch pol.level {
	case tlsInvalid, tlsNone:
		return
	case tlsMay:
		if pol.grade == "" {
			pol.grade = tc.ciphers
		}
	default:
		if pol.grade == "" {
			pol.grade = tc.mandCiphers
		}
		mandExclude, alsoExclude = tc.mandExclude, "aNULL"
		if pol.level == tlsEncrypt {
			alsoExclude = "eNULL"
		}
	}
	var ex []string
	if pol.excludeOK {
		ex = append(ex, pol.exclude)
	} else {
		ex = append(ex, tc.exclude, mandExclude)
	}
	ex = append(ex, alsoExclude)
	pol.exclude = strings.Join(strings.Fields(strings.Join(ex, " ")), " ")
}

// markInvalid is MARK_INVALID.
func markInvalid(pol *tlsPolicy) *tlsPolicy {
	pol.level = tlsInvalid
	pol.why = dsn.Simple("4.7.5", "client TLS configuration problem")
	return pol
}

// tlsPolicyLookupOne looks one name up in smtp_tls_policy_maps and
// parses the entry (tls_policy_lookup_one); it returns the site level.
func (a *agent) tlsPolicyLookupOne(pol *tlsPolicy, name string) int {
	where := fmt.Sprintf("%s, next-hop destination \"%s\"", a.tlsPolicyMaps.Title, name)
	v, found, err := a.tlsPolicyMaps.Find(name, false)
	if err != nil {
		a.log.Warnf("%s: policy table lookup error", where)
		markInvalid(pol)
		return tlsInvalid
	}
	if !found {
		return tlsNotFound
	}
	words := splitWords(v)
	if len(words) == 0 {
		a.log.Warnf("%s: invalid empty policy", where)
		markInvalid(pol)
		return tlsInvalid
	}
	level := tlsLevelLookup(words[0])
	if level == tlsInvalid {
		a.log.Warnf("%s: invalid security level \"%s\"", where, words[0])
		markInvalid(pol)
		return tlsInvalid
	}
	if level < tlsMay {
		for _, w := range words[1:] {
			a.log.Warnf("%s: ignoring attribute \"%s\" with TLS disabled", where, w)
		}
		return level
	}
	bad := func(format string, args ...any) int {
		a.log.Warnf("%s: "+format, append([]any{where}, args...)...)
		markInvalid(pol)
		return tlsInvalid
	}
	seen := map[string]bool{}
	for _, w := range words[1:] {
		name, val, ok := strings.Cut(w, "=")
		if !ok {
			return bad("malformed attribute/value pair \"%s\": missing '=' after attribute name", w)
		}
		lname := strings.ToLower(name)
		once := func() bool { defer func() { seen[lname] = true }(); return seen[lname] }
		switch lname {
		case "ciphers", "exclude":
			if val == "" && lname == "ciphers" {
				return bad("attribute \"%s\" has empty value", name)
			}
			if once() {
				return bad("attribute \"%s\" is specified multiple times", name)
			}
			if lname == "ciphers" {
				pol.grade = val
			} else {
				pol.exclude, pol.excludeOK = val, true
			}
		case "protocols":
			if once() {
				return bad("attribute \"%s\" is specified multiple times", name)
			}
			pol.protocols = val
		case "servername":
			if once() {
				return bad("attribute \"%s\" is specified multiple times", name)
			}
			if !dns.ValidHostname(val) {
				return bad("\"%s=%s\" specifies an invalid hostname", name, val)
			}
			pol.sni = val
		case "match":
			if val == "" {
				return bad("attribute \"%s\" has empty value", name)
			}
			switch level {
			case tlsFprint:
				pol.fprints = append(pol.fprints, strings.Split(val, "|")...)
			case tlsVerify, tlsSecure:
				pol.match = append(pol.match, strings.Split(val, ":")...)
			default:
				return bad("attribute \"%s\" invalid at security level \"%s\"", name, tlsLevelName(level))
			}
		case "tafile":
			if level < tlsVerify {
				return bad("attribute \"%s\" invalid at security level \"%s\"", name, tlsLevelName(level))
			}
		case "connection_reuse":
			switch strings.ToLower(val) {
			case "yes":
				pol.connReuse = true
			case "no":
				pol.connReuse = false
			default:
				return bad("attribute \"%s\" has bad value: \"%s\"", name, val)
			}
		default:
			return bad("invalid attribute name: \"%s\"", name)
		}
	}
	return level
}

// openTLSPolicyMaps opens smtp_tls_policy_maps (smtp_tls_list_init).
func (a *agent) openTLSPolicyMaps() error {
	tc := a.cfg.tls
	if tc.policyMaps != "" && tc.perSite != "" {
		a.log.Warnf("%s ignored when %s is not empty.", a.par.name("smtp_tls_per_site"), a.par.name("smtp_tls_policy_maps"))
	}
	var err error
	if err = a.openTLSPerSite(); err != nil || tc.policyMaps == "" {
		return err
	}
	a.tlsPolicyMaps, err = maps.Open(a.reg, a.par.name("smtp_tls_policy_maps"), tc.policyMaps,
		dict.FlagLock|dict.FlagFoldFix|dict.FlagUTF8Request, a.log)
	return err
}

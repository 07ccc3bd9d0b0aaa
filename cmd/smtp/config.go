package main

import (
	"fmt"
	"strings"
	"time"

	mainparams "gopostfix/libglobal/params"
	"gopostfix/libmaster"
)

// Host lookup methods (smtp_host_lookup).
const (
	lookupDNS    = 1 << 0
	lookupNative = 1 << 1
)

// DNS support levels (smtp_dns_support_level).
const (
	dnsDisabled = iota
	dnsEnabled
	dnsDNSSEC
)

// Address family preferences (smtp_address_preference).
const (
	prefAny = iota
	prefIPv6
	prefIPv4
)

// config is what one process reads from main.cf once, in smtp(8)
// terms whatever the personality.
type config struct {
	lmtp        bool
	myhostname  string
	heloName    string
	tcpPort     string
	fallback    string
	relayhost   string
	bestMXTrans string

	skip5xxGreeting, alwaysEHLO, neverEHLO, skipQuitResp bool
	sendXforward, quoteRFC821, defer5xxNoMX, ignMXErr    bool
	randomize, balance, disableMIMEConv, helpful         bool
	cacheDemand, softBounce, cnameOverride               bool
	lineLimit, smtpLineLimit                             int
	mxAddrLimit, mxSessLimit                             int
	reuseCountLimit                                      int
	hostLookup, dnsSupport, addrPref                     int
	inetProtocols                                        []string
	inetInterfaces, proxyInterfaces                      string
	ehloDiscard, ehloDiscardMaps, cacheDest              string
	bindAddr, bindAddr6                                  string
	resolverOptions                                      string
	vrfyTarget                                           string
	perRequestDeadline                                   bool
	minDataRate                                          int
	headerLimit, mimeDepth, mimeBoundLen                 int

	connectTimeout, heloTimeout, starttlsTimeout, xforwardTimeout time.Duration
	mailTimeout, rcptTimeout, dataInitTimeout, dataXferTimeout    time.Duration
	dataDoneTimeout, rsetTimeout, quitTimeout                     time.Duration
	reuseTimeLimit, cacheTimeLimit, scacheProtoTimeout            time.Duration
	ipcIdle, ipcTTL                                               time.Duration
	scacheService                                                 string
	minBackoff                                                    time.Duration

	tls  tlsConfig
	sasl saslConfig
}

// loadConfig reads the parameters (smtp.c pre_init and post_init, with
// the tables of smtp_params.c or lmtp_params.c).
func loadConfig(s *libmaster.Server, lmtp bool) (*config, error) {
	p := params{s: s, lmtp: lmtp}
	c := &config{lmtp: lmtp,
		myhostname: s.Str("myhostname"), heloName: p.str("smtp_helo_name"),
		tcpPort: p.str("smtp_tcp_port"), fallback: p.str("smtp_fallback_relay"),
		relayhost: s.Str("relayhost"), bestMXTrans: s.Str("best_mx_transport"),
		skip5xxGreeting: p.boolean("smtp_skip_5xx_greeting"), alwaysEHLO: p.boolean("smtp_always_send_ehlo"),
		neverEHLO: p.boolean("smtp_never_send_ehlo"), skipQuitResp: p.boolean("smtp_skip_quit_response"),
		sendXforward: p.boolean("smtp_send_xforward_command"), quoteRFC821: p.boolean("smtp_quote_rfc821_envelope"),
		defer5xxNoMX: p.boolean("smtp_defer_if_no_mx_address_found"), ignMXErr: p.boolean("ignore_mx_lookup_error"),
		randomize: p.boolean("smtp_randomize_addresses"), balance: p.boolean("smtp_balance_inet_protocols"),
		disableMIMEConv: s.Bool("disable_mime_output_conversion"), helpful: s.Bool("helpful_warnings"),
		cacheDemand: p.boolean("smtp_connection_cache_on_demand"), softBounce: s.Bool("soft_bounce"),
		cnameOverride: p.boolean("smtp_cname_overrides_servername"),
		lineLimit:     s.Int("line_length_limit"), smtpLineLimit: p.integer("smtp_line_length_limit"),
		mxAddrLimit: p.integer("smtp_mx_address_limit"), mxSessLimit: p.integer("smtp_mx_session_limit"),
		reuseCountLimit: p.integer("smtp_connection_reuse_count_limit"),
		inetInterfaces:  s.Str("inet_interfaces"), proxyInterfaces: s.Str("proxy_interfaces"),
		ehloDiscard: p.str("smtp_discard_ehlo_keywords"), ehloDiscardMaps: p.str("smtp_discard_ehlo_keyword_address_maps"),
		cacheDest: p.str("smtp_connection_cache_destinations"),
		bindAddr:  p.str("smtp_bind_address"), bindAddr6: p.str("smtp_bind_address6"),
		vrfyTarget:         p.str("smtp_address_verify_target"),
		resolverOptions:    p.str("smtp_dns_resolver_options"),
		perRequestDeadline: p.boolean("smtp_per_request_deadline"), minDataRate: p.integer("smtp_min_data_rate"),
		connectTimeout: p.duration("smtp_connect_timeout"), heloTimeout: p.duration("smtp_helo_timeout"),
		starttlsTimeout: p.duration("smtp_starttls_timeout"), xforwardTimeout: p.duration("smtp_xforward_timeout"),
		mailTimeout: p.duration("smtp_mail_timeout"), rcptTimeout: p.duration("smtp_rcpt_timeout"),
		dataInitTimeout: p.duration("smtp_data_init_timeout"), dataXferTimeout: p.duration("smtp_data_xfer_timeout"),
		dataDoneTimeout: p.duration("smtp_data_done_timeout"), rsetTimeout: p.duration("smtp_rset_timeout"),
		quitTimeout: p.duration("smtp_quit_timeout"), reuseTimeLimit: p.duration("smtp_connection_reuse_time_limit"),
		cacheTimeLimit: p.duration("smtp_connection_cache_time_limit"),
		scacheService:  s.Str("connection_cache_service_name"), scacheProtoTimeout: s.Time("connection_cache_protocol_timeout"),
		ipcIdle: s.Time("ipc_idle"), ipcTTL: s.Time("ipc_ttl"),
		minBackoff:  s.Time("minimal_backoff_time"),
		headerLimit: s.Int("header_size_limit"), mimeDepth: s.Int("mime_nesting_limit"),
		mimeBoundLen: s.Int("mime_boundary_length_limit"),
	}
	if c.vrfyTarget != "rcpt" && c.vrfyTarget != "data" {
		return nil, fmt.Errorf("bad protocol stage: \"%s = %s\"", p.name("smtp_address_verify_target"), c.vrfyTarget)
	}
	protos, err := mainparams.ParseProtocols(s.Str("inet_protocols"))
	if err != nil {
		return nil, err
	}
	c.inetProtocols = protos
	if err := c.lookupSettings(p, s); err != nil {
		return nil, err
	}
	if c.tls, err = loadTLSConfig(p); err != nil {
		return nil, err
	}
	c.sasl = loadSASLConfig(p)
	return c, nil
}

// lookupSettings decodes smtp_dns_support_level, smtp_host_lookup and
// smtp_address_preference (post_init, pre_init).
func (c *config) lookupSettings(p params, s *libmaster.Server) error {
	switch lvl := p.str("smtp_dns_support_level"); lvl {
	case "":
		c.dnsSupport = dnsEnabled
		if s.Bool("disable_dns_lookups") {
			c.dnsSupport = dnsDisabled
		}
	case "disabled":
		c.dnsSupport = dnsDisabled
	case "enabled":
		c.dnsSupport = dnsEnabled
	case "dnssec":
		c.dnsSupport = dnsDNSSEC
	default:
		return fmt.Errorf("invalid %s: \"%s\"", p.name("smtp_dns_support_level"), lvl)
	}
	if c.dnsSupport == dnsDisabled {
		c.hostLookup = lookupNative
	} else {
		for _, w := range splitWords(p.str("smtp_host_lookup")) {
			switch strings.ToLower(w) {
			case "dns":
				c.hostLookup |= lookupDNS
			case "native":
				c.hostLookup |= lookupNative
			default:
				return fmt.Errorf("unknown %s value \"%s\" in \"%s\"", p.name("smtp_host_lookup"), w, p.str("smtp_host_lookup"))
			}
		}
	}
	switch v := p.str("smtp_address_preference"); v {
	case "any":
		c.addrPref = prefAny
	case "ipv6":
		c.addrPref = prefIPv6
	case "ipv4":
		c.addrPref = prefIPv4
	default:
		return fmt.Errorf("bad %s value: %s", p.name("smtp_address_preference"), v)
	}
	return nil
}

// splitWords splits a list on commas and white space.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n' })
}

// hasFamily reports whether inet_protocols enables a family.
func (c *config) hasFamily(f string) bool {
	for _, x := range c.inetProtocols {
		if x == f {
			return true
		}
	}
	return false
}

package main

import (
	"fmt"
	"strings"
	"time"

	"gopostfix/libglobal/smtpreply"
	"gopostfix/libmaster"
)

// Failure actions (PSC_ACT_*).
const (
	actDrop = iota + 1
	actEnforce
	actIgnore
)

// parseAction maps an action name (case-insensitive, "continue" being
// the old name of "ignore") to its code; 0 when unknown.
func parseAction(v string) int {
	switch strings.ToLower(v) {
	case "drop":
		return actDrop
	case "enforce":
		return actEnforce
	case "ignore", "continue":
		return actIgnore
	}
	return 0
}

// config holds the parameters postscreen reads once at start-up.
type config struct {
	myhostname    string
	greeting      string // "220 $smtpd_banner\r\n"
	teaser        string // "220-$postscreen_greet_banner\r\n", empty: no pregreet test
	heloReply     string
	timeoutReply  string
	busyReply     string // the generic 421 reply
	smtpdService  string // private/$smtpd_service_name
	dnsblService  string // private/$dnsblog_service_name
	tlsService    string // private/$tlsproxy_service_name
	uproxyProto   string
	uproxyTimeout time.Duration

	dnlistAction, dnsblAction, pregrAction int
	pipelAction, nsmtpAction, barlfAction  int

	dnsblSites       string
	dnsblThreshold   int
	dnsblAllowThresh int
	dnsblMinTTL      int // seconds
	dnsblMaxTTL      int
	dnsblTimeout     time.Duration

	pregrTTL, pipelTTL, nsmtpTTL, barlfTTL, minTTL int
	pipelEnable, nsmtpEnable, barlfEnable          bool

	greetWaitNormal, greetWaitStress int // seconds
	cmdTimeNormal, cmdTimeStress     int
	cmdCount                         int
	lineLimit                        int

	cacheRetention, cacheScan int
	postQueueLimit            int
	preQueueLimit             int
	lowWater, highWater       int
	cconnLimit                int

	heloRequired, disableVrfy bool
	disableVrfyCmd            bool // smtpd's disable_vrfy_command, for the EHLO reply
	useTLS, enforceTLS        bool
	messageLimit              int64
	smtputf8                  bool
	softBounce                bool
	rejFooter                 string // postscreen_reject_footer, evaluated once
	rejFooterMaps             string // postscreen_reject_footer_maps
	expandFilter              string // postscreen_expansion_filter, unescaped
	respectful                bool
	forbidden                 string
	ehloDiscardWords          string
	ehloDiscardMaps           string
	cmdFilter                 string
	dnsblReplyMap             string
	accessList                string
	allowlistInterfaces       string
	mynetworks                string
	cacheMap                  string
	delayRes                  int      // delay_logging_resolution_limit
	warnings                  []string // logged once logging is set up
}

func seconds(d time.Duration) int { return int(d / time.Second) }

// evalOnce is the raw value of a parameter whose default names another
// one ("$smtpd_reject_footer"): when the value is "$name" of a known
// parameter it is replaced by that parameter's raw value, one level
// only, so that the session macros in it are expanded per reply.
func evalOnce(s *libmaster.Server, name string) string {
	v, _ := s.Config.Raw(name)
	if strings.HasPrefix(v, "$") {
		if w, ok := s.Config.Raw(v[1:]); ok {
			return w
		}
	}
	return v
}

// readConfig reads the parameters as postscreen's main() and
// post_jail_init() do, fatal on bad values.
func readConfig(s *libmaster.Server) (*config, error) {
	c := &config{
		myhostname:   s.Str("myhostname"),
		smtpdService: "private/" + s.Str("smtpd_service_name"),
		dnsblService: "private/" + s.Str("dnsblog_service_name"),
		tlsService:   "private/" + s.Str("tlsproxy_service_name"),
		uproxyProto:  s.Str("postscreen_upstream_proxy_protocol"),

		dnsblSites:       s.Str("postscreen_dnsbl_sites"),
		dnsblThreshold:   s.Int("postscreen_dnsbl_threshold"),
		dnsblAllowThresh: s.Int("postscreen_dnsbl_allowlist_threshold"),
		dnsblMinTTL:      seconds(s.Time("postscreen_dnsbl_min_ttl")),
		dnsblMaxTTL:      seconds(s.Time("postscreen_dnsbl_max_ttl")),
		dnsblTimeout:     s.Time("postscreen_dnsbl_timeout"),
		uproxyTimeout:    s.Time("postscreen_upstream_proxy_timeout"),

		pregrTTL:    seconds(s.Time("postscreen_greet_ttl")),
		pipelTTL:    seconds(s.Time("postscreen_pipelining_ttl")),
		nsmtpTTL:    seconds(s.Time("postscreen_non_smtp_command_ttl")),
		barlfTTL:    seconds(s.Time("postscreen_bare_newline_ttl")),
		pipelEnable: s.Bool("postscreen_pipelining_enable"),
		nsmtpEnable: s.Bool("postscreen_non_smtp_command_enable"),
		barlfEnable: s.Bool("postscreen_bare_newline_enable"),
		cmdCount:    s.Int("postscreen_command_count_limit"),
		lineLimit:   s.Int("line_length_limit"),
		delayRes:    s.Int("delay_logging_resolution_limit"),

		cacheRetention: seconds(s.Time("postscreen_cache_retention_time")),
		cacheScan:      seconds(s.Time("postscreen_cache_cleanup_interval")),
		postQueueLimit: s.Int("postscreen_post_queue_limit"),
		preQueueLimit:  s.Int("postscreen_pre_queue_limit"),
		cconnLimit:     s.Int("postscreen_client_connection_count_limit"),

		heloRequired:        s.Bool("postscreen_helo_required"),
		disableVrfy:         s.Bool("postscreen_disable_vrfy_command"),
		disableVrfyCmd:      s.Bool("disable_vrfy_command"),
		useTLS:              s.Bool("postscreen_use_tls"),
		enforceTLS:          s.Bool("postscreen_enforce_tls"),
		smtputf8:            s.Bool("smtputf8_enable"),
		softBounce:          s.Bool("soft_bounce"),
		rejFooter:           evalOnce(s, "postscreen_reject_footer"),
		rejFooterMaps:       s.Str("postscreen_reject_footer_maps"),
		expandFilter:        smtpreply.ExpansionFilter(evalOnce(s, "postscreen_expansion_filter")),
		respectful:          s.Bool("respectful_logging"),
		forbidden:           s.Str("postscreen_forbidden_commands"),
		ehloDiscardWords:    s.Str("postscreen_discard_ehlo_keywords"),
		ehloDiscardMaps:     s.Str("postscreen_discard_ehlo_keyword_address_maps"),
		cmdFilter:           s.Str("postscreen_command_filter"),
		dnsblReplyMap:       s.Str("postscreen_dnsbl_reply_map"),
		accessList:          s.Str("postscreen_access_list"),
		allowlistInterfaces: s.Str("postscreen_allowlist_interfaces"),
		mynetworks:          s.Str("mynetworks"),
		cacheMap:            s.Str("postscreen_cache_map"),
	}
	size, err := s.Config.Long("message_size_limit")
	if err != nil {
		return nil, err
	}
	c.messageLimit = size
	if g := s.Str("postscreen_greet_banner"); g != "" {
		c.teaser = "220-" + g + "\r\n"
	}
	c.greeting = "220 " + s.Str("smtpd_banner") + "\r\n"
	c.heloReply = "250 " + c.myhostname + "\r\n"
	c.timeoutReply = "421 4.4.2 " + c.myhostname + " Error: timeout exceeded\r\n"
	c.busyReply = "421 " + c.myhostname + " Service unavailable - try again later\r\n"
	for _, a := range []struct {
		param string
		dst   *int
	}{
		{"postscreen_denylist_action", &c.dnlistAction},
		{"postscreen_dnsbl_action", &c.dnsblAction},
		{"postscreen_greet_action", &c.pregrAction},
		{"postscreen_pipelining_action", &c.pipelAction},
		{"postscreen_non_smtp_command_action", &c.nsmtpAction},
		{"postscreen_bare_newline_action", &c.barlfAction},
	} {
		v := s.Str(a.param)
		if *a.dst = parseAction(v); *a.dst == 0 {
			return nil, fmt.Errorf("bad %s value: %s", a.param, v)
		}
	}
	c.minTTL = min(c.pregrTTL, c.dnsblMinTTL, c.pipelTTL, c.nsmtpTTL, c.barlfTTL)
	// The stress-dependent limits, computed once with stress=yes and once
	// without, as post_jail_init does.
	s.Config.Override("stress", "yes")
	c.cmdTimeStress, c.greetWaitStress = seconds(s.Time("postscreen_command_time_limit")), seconds(s.Time("postscreen_greet_wait"))
	s.Config.Override("stress", "")
	c.cmdTimeNormal, c.greetWaitNormal = seconds(s.Time("postscreen_command_time_limit")), seconds(s.Time("postscreen_greet_wait"))
	c.lowWater = int(.7 * float64(c.preQueueLimit))
	c.highWater = int(.9 * float64(c.preQueueLimit))
	if err := c.tlsLevel(s.Str("postscreen_tls_security_level")); err != nil {
		return nil, err
	}
	return c, nil
}

// tlsLevel applies postscreen_tls_security_level over the legacy
// use/enforce switches (psc_smtpd_init).
func (c *config) tlsLevel(level string) error {
	switch strings.ToLower(level) {
	case "":
	case "none":
		c.useTLS, c.enforceTLS = false, false
	case "may":
		c.useTLS, c.enforceTLS = true, false
	case "encrypt":
		c.useTLS, c.enforceTLS = true, true
	case "secure", "verify", "fingerprint":
		c.warnings = append(c.warnings, fmt.Sprintf("postscreen_tls_security_level: unsupported TLS level \"%s\", using \"encrypt\"", level))
		c.useTLS, c.enforceTLS = true, true
	default:
		return fmt.Errorf("Invalid TLS level \"%s\"", level)
	}
	c.useTLS = c.useTLS || c.enforceTLS
	return nil
}

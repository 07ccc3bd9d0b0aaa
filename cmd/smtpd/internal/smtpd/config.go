package smtpd

import (
	"strings"
	"time"

	"gopostfix/libglobal/postmail"
	"gopostfix/libglobal/smtpreply"
	"gopostfix/libglobal/util/namemask"
)

// receive_override_options bits (input_transp.h INPUT_TRANSP_*).
const (
	transpUnknownRcpt = 1 << 0
	transpAddrMapping = 1 << 1
	transpHeaderBody  = 1 << 2
	transpMilter      = 1 << 3
)

// smtpd_proxy_options words.
const proxySpeedAdjust = 1 << 0

var proxyOptionNames = []namemask.Name{{Name: "speed_adjust", Mask: proxySpeedAdjust}}

var inputTranspNames = []namemask.Name{
	{Name: "no_unknown_recipient_checks", Mask: transpUnknownRcpt},
	{Name: "no_address_mappings", Mask: transpAddrMapping},
	{Name: "no_header_body_checks", Mask: transpHeaderBody},
	{Name: "no_milters", Mask: transpMilter},
}

// transpCleanup is input_transp_cleanup: the cleanup flags that
// receive_override_options leaves on.
func transpCleanup(flags, mask int) int {
	if mask&transpAddrMapping != 0 {
		flags &^= cleanupFlagBCCOK | cleanupFlagMapOK
	}
	if mask&transpHeaderBody != 0 {
		flags &^= cleanupFlagFilter
	}
	if mask&transpMilter != 0 {
		flags &^= cleanupFlagMilter
	}
	return flags
}

// Bare newline handling modes (smtpd_forbid_bare_newline).
const (
	bareLFNo        = iota // LF ends a line; all CRs before it are dropped
	bareLFNormalize        // one CR is dropped; a bare LF is remembered
	bareLFReject           // bare LF gets a 550 reply
)

// Config holds the parameter values a session needs, read once.
type Config struct {
	// notify_classes as a mask of error classes, the notice recipients
	// (error_notice_recipient, bounce_notice_recipient), header_from_format
	// = standard, and smtpd_history_flush_threshold.
	NotifyMask            int
	ErrorRcpt, BounceRcpt string
	HeaderFromStd         bool
	HistThreshold         int

	MyHostname  string
	MailName    string
	Banner      string
	LineLimit   int
	Timeout     time.Duration
	ReqDeadline bool // smtpd_per_request_deadline
	MinDataRate int  // smtpd_min_data_rate, bytes per second
	ErrSleep    time.Duration
	SoftErrLim  int
	HardErrLim  int
	JunkLimit   int
	RcptLimit   int
	RcptOverLim int
	MessageSize int64

	HeloRequired     bool
	DelayReject      bool
	StrictRFC821     bool
	SMTPUTF8         bool
	StrictSMTPUTF8   bool
	DisableVRFY      bool
	SoftBounce       bool
	ForbidUnauthPipe bool
	BareLF           int
	BareLFCode       int
	BareLFExcl       []string

	DiscardEHLO       []string
	NoopCmds          []string
	ForbidCmds        []string
	XclientHosts      []string
	XforwardHosts     []string
	Mynetworks        []string
	ProxyProtocol     string
	ProxyTimeout      time.Duration
	ClientPortLogging bool

	ClientRestrictions []string
	HeloRestrictions   []string
	SenderRestrictions []string
	RelayRestrictions  []string
	RcptRestrictions   []string
	DataRestrictions   []string
	EODRestrictions    []string
	EtrnRestrictions   []string
	RestrictionClasses map[string][]string
	RelayBeforeRcpt    bool

	RejectCode, DeferCode                 int
	MapRejectCode, MapDeferCode           int
	BadNameCode, NonFQDNCode, UnkNameCode int
	UnkClientCode                         int
	UnkAddrCode, RelayCode, LocalRcptCode int
	UnknownHelo, UnknownAddrTempfail      string
	NullAccessKey                         string
	ShowUnkRcptTable                      bool
	LocalRcptMaps                         []string
	LocalRcptMapsRaw                      string
	// The tables of the unknown recipient checks (check_rcpt_maps).
	CanonicalMaps, RcptCanonMaps, SendCanonMaps   string
	VirtAliasMaps, VirtMailboxMaps, RelayRcptMaps string
	VirtAliasCode, VirtMailboxCode, RelayRcptCode int
	DoubleBounce                                  string
	RejectUnlistedRcpt, RejectUnlistedSender      bool
	AllowUntrustedRouting                         bool
	ParentMatchesSubdomains                       bool
	AccessMapsParentMatch                         bool
	LogPermitActions                              []string

	PolicyTimeout       time.Duration
	PolicyTryLimit      int
	PolicyRetryDelay    time.Duration
	PolicyDefaultAction string
	PolicyContext       string
	PolicyMaxIdle       time.Duration
	PolicyMaxTTL        time.Duration
	PolicyReqLimit      int

	RejectFooter     string // raw: expanded per reply
	RejectFooterMaps []string
	ExpandFilter     string // smtpd_expansion_filter, unescaped
	// InputTransp is receive_override_options (INPUT_TRANSP_* bits).
	// Sessions add no_milters when they have no Milters (transpMask).
	InputTransp int
	// smtpd_milters, smtpd_milter_maps, milter_macro_daemon_name and
	// milter_macro_v.
	Milters    string
	MilterMaps []string
	// ContentFilter is content_filter, passed on to cleanup.
	ContentFilter string
	// LocalRewriteClients is local_header_rewrite_clients.
	LocalRewriteClients []string
	// address_verify_sender and address_verify_sender_ttl.
	VerifySender     string
	VerifySenderTTL  time.Duration
	MilterDaemonName string
	MilterV          string
	// QueueMinFree is queue_minfree in bytes.
	QueueMinFree int64
	// SenderLoginMaps is smtpd_sender_login_maps.
	SenderLoginMaps string

	// reject_unverified_recipient and _sender, and the verify service.
	UnvRcpt, UnvSender Unverified
	VerifyPollCount    int
	VerifyPollDelay    time.Duration

	ConnCountLimit, ConnRateLimit, MsgRateLimit   int
	RcptRateLimit, NewTLSRateLimit, AuthRateLimit int
	EventLimitExceptions                          []string

	RBLCode      int
	RBLReply     string // default_rbl_reply, unexpanded
	RBLReplyMaps []string

	TLSLogLevel         int
	TLSReceivedHeader   bool
	TLSAskCCert         bool
	TLSAuthOnly         bool
	TLSHandshakeTimeout time.Duration
	PlaintextCode       int
	TLSWrapperMode      bool

	SASLEnable        bool
	SASLPath          string
	SASLService       string
	SASLSecOpts       []string
	SASLTLSSecOpts    []string
	SASLExceptions    []string
	SASLAuthHeader    bool
	BrokenSASLClients bool
	SASLMechFilter    []string
	SASLRespLimit     int

	IPv4, IPv6 bool // inet_protocols enables IPv4, IPv6

	// The before-queue content filter (smtpd_proxy_*) and
	// smtpd_delay_open_until_valid_rcpt.
	ProxyFilter        string
	ProxyFilterTimeout time.Duration
	ProxyEHLO          string
	ProxySpeedAdjust   bool
	DelayOpen          bool

	// CommandFilter is smtpd_command_filter, a table that rewrites
	// command lines.
	CommandFilter string

	// Err is a configuration error that is fatal at start-up, worded as
	// Postfix's message.
	Err error
}

// NewConfig reads the smtpd parameters from p.
func NewConfig(p Params) *Config {
	c := &Config{
		ErrorRcpt:     p.Str("error_notice_recipient"),
		BounceRcpt:    p.Str("bounce_notice_recipient"),
		HeaderFromStd: p.Str("header_from_format") == "standard",
		HistThreshold: p.Int("smtpd_history_flush_threshold"),

		MyHostname:  p.Str("myhostname"),
		MailName:    p.Str("mail_name"),
		Banner:      p.Str("smtpd_banner"),
		LineLimit:   p.Int("line_length_limit"),
		Timeout:     p.Time("smtpd_timeout"),
		ReqDeadline: p.Bool("smtpd_per_request_deadline"),
		MinDataRate: p.Int("smtpd_min_data_rate"),
		ErrSleep:    p.Time("smtpd_error_sleep_time"),
		SoftErrLim:  p.Int("smtpd_soft_error_limit"),
		HardErrLim:  p.Int("smtpd_hard_error_limit"),
		JunkLimit:   p.Int("smtpd_junk_command_limit"),
		RcptLimit:   p.Int("smtpd_recipient_limit"),
		RcptOverLim: p.Int("smtpd_recipient_overshoot_limit"),
		MessageSize: int64(p.Int("message_size_limit")),

		HeloRequired:     p.Bool("smtpd_helo_required"),
		DelayReject:      p.Bool("smtpd_delay_reject"),
		StrictRFC821:     p.Bool("strict_rfc821_envelopes"),
		SMTPUTF8:         p.Bool("smtputf8_enable"),
		StrictSMTPUTF8:   p.Bool("strict_smtputf8"),
		DisableVRFY:      p.Bool("disable_vrfy_command"),
		SoftBounce:       p.Bool("soft_bounce"),
		ForbidUnauthPipe: p.Bool("smtpd_forbid_unauth_pipelining"),
		BareLFCode:       p.Int("smtpd_forbid_bare_newline_reject_code"),
		BareLFExcl:       p.List("smtpd_forbid_bare_newline_exclusions"),

		DiscardEHLO:       p.List("smtpd_discard_ehlo_keywords"),
		NoopCmds:          p.List("smtpd_noop_commands"),
		ForbidCmds:        p.List("smtpd_forbidden_commands"),
		XclientHosts:      p.List("smtpd_authorized_xclient_hosts"),
		XforwardHosts:     p.List("smtpd_authorized_xforward_hosts"),
		Mynetworks:        p.List("mynetworks"),
		ProxyProtocol:     p.Str("smtpd_upstream_proxy_protocol"),
		ProxyTimeout:      p.Time("smtpd_upstream_proxy_timeout"),
		ClientPortLogging: p.Bool("smtpd_client_port_logging"),

		ClientRestrictions: p.List("smtpd_client_restrictions"),
		HeloRestrictions:   p.List("smtpd_helo_restrictions"),
		SenderRestrictions: p.List("smtpd_sender_restrictions"),
		RelayRestrictions:  p.List("smtpd_relay_restrictions"),
		RcptRestrictions:   p.List("smtpd_recipient_restrictions"),
		DataRestrictions:   p.List("smtpd_data_restrictions"),
		EODRestrictions:    p.List("smtpd_end_of_data_restrictions"),
		EtrnRestrictions:   p.List("smtpd_etrn_restrictions"),
		RestrictionClasses: map[string][]string{},
		RelayBeforeRcpt:    p.Bool("smtpd_relay_before_recipient_restrictions"),

		RejectCode:            p.Int("reject_code"),
		DeferCode:             p.Int("defer_code"),
		MapRejectCode:         p.Int("access_map_reject_code"),
		MapDeferCode:          p.Int("access_map_defer_code"),
		BadNameCode:           p.Int("invalid_hostname_reject_code"),
		NonFQDNCode:           p.Int("non_fqdn_reject_code"),
		UnkNameCode:           p.Int("unknown_hostname_reject_code"),
		UnkClientCode:         p.Int("unknown_client_reject_code"),
		UnkAddrCode:           p.Int("unknown_address_reject_code"),
		RelayCode:             p.Int("relay_domains_reject_code"),
		LocalRcptCode:         p.Int("unknown_local_recipient_reject_code"),
		UnknownHelo:           p.Str("unknown_helo_hostname_tempfail_action"),
		UnknownAddrTempfail:   p.Str("unknown_address_tempfail_action"),
		NullAccessKey:         p.Str("smtpd_null_access_lookup_key"),
		ShowUnkRcptTable:      p.Bool("show_user_unknown_table_name"),
		LocalRcptMaps:         p.List("local_recipient_maps"),
		LocalRcptMapsRaw:      p.Str("local_recipient_maps"),
		CanonicalMaps:         p.Str("canonical_maps"),
		RcptCanonMaps:         p.Str("recipient_canonical_maps"),
		SendCanonMaps:         p.Str("sender_canonical_maps"),
		VirtAliasMaps:         p.Str("virtual_alias_maps"),
		VirtMailboxMaps:       p.Str("virtual_mailbox_maps"),
		RelayRcptMaps:         p.Str("relay_recipient_maps"),
		VirtAliasCode:         p.Int("unknown_virtual_alias_reject_code"),
		VirtMailboxCode:       p.Int("unknown_virtual_mailbox_reject_code"),
		RelayRcptCode:         p.Int("unknown_relay_recipient_reject_code"),
		DoubleBounce:          p.Str("double_bounce_sender"),
		RejectUnlistedRcpt:    p.Bool("smtpd_reject_unlisted_recipient"),
		RejectUnlistedSender:  p.Bool("smtpd_reject_unlisted_sender"),
		AllowUntrustedRouting: p.Bool("allow_untrusted_routing"),
		LogPermitActions:      p.List("smtpd_log_access_permit_actions"),

		PolicyTimeout:       p.Time("smtpd_policy_service_timeout"),
		PolicyTryLimit:      p.Int("smtpd_policy_service_try_limit"),
		PolicyRetryDelay:    p.Time("smtpd_policy_service_retry_delay"),
		PolicyDefaultAction: p.Str("smtpd_policy_service_default_action"),
		PolicyContext:       p.Str("smtpd_policy_service_policy_context"),
		PolicyMaxIdle:       p.Time("smtpd_policy_service_max_idle"),
		PolicyMaxTTL:        p.Time("smtpd_policy_service_max_ttl"),
		PolicyReqLimit:      p.Int("smtpd_policy_service_request_limit"),

		RejectFooter:        p.Raw("smtpd_reject_footer"),
		RejectFooterMaps:    p.List("smtpd_reject_footer_maps"),
		ExpandFilter:        smtpreply.ExpansionFilter(p.Raw("smtpd_expansion_filter")),
		QueueMinFree:        int64(p.Int("queue_minfree")),
		SenderLoginMaps:     p.Str("smtpd_sender_login_maps"),
		Milters:             p.Str("smtpd_milters"),
		MilterMaps:          p.List("smtpd_milter_maps"),
		MilterDaemonName:    p.Str("milter_macro_daemon_name"),
		MilterV:             p.Str("milter_macro_v"),
		LocalRewriteClients: p.List("local_header_rewrite_clients"),
		VerifySender:        p.Str("address_verify_sender"),
		ContentFilter:       p.Str("content_filter"),
		VerifySenderTTL:     p.Time("address_verify_sender_ttl"),

		UnvRcpt: Unverified{DeferCode: p.Int("unverified_recipient_defer_code"),
			RejectCode: p.Int("unverified_recipient_reject_code"), Reason: p.Str("unverified_recipient_reject_reason"),
			Tempfail: p.Str("unverified_recipient_tempfail_action")},
		UnvSender: Unverified{DeferCode: p.Int("unverified_sender_defer_code"),
			RejectCode: p.Int("unverified_sender_reject_code"), Reason: p.Str("unverified_sender_reject_reason"),
			Tempfail: p.Str("unverified_sender_tempfail_action")},
		VerifyPollCount: p.Int("address_verify_poll_count"),
		VerifyPollDelay: p.Time("address_verify_poll_delay"),

		ConnCountLimit:       p.Int("smtpd_client_connection_count_limit"),
		ConnRateLimit:        p.Int("smtpd_client_connection_rate_limit"),
		MsgRateLimit:         p.Int("smtpd_client_message_rate_limit"),
		RcptRateLimit:        p.Int("smtpd_client_recipient_rate_limit"),
		NewTLSRateLimit:      p.Int("smtpd_client_new_tls_session_rate_limit"),
		AuthRateLimit:        p.Int("smtpd_client_auth_rate_limit"),
		EventLimitExceptions: p.List("smtpd_client_event_limit_exceptions"),

		RBLCode:      p.Int("maps_rbl_reject_code"),
		RBLReply:     p.Raw("default_rbl_reply"),
		RBLReplyMaps: p.List("rbl_reply_maps"),

		TLSLogLevel:         p.Int("smtpd_tls_loglevel"),
		TLSReceivedHeader:   p.Bool("smtpd_tls_received_header"),
		TLSAskCCert:         p.Bool("smtpd_tls_ask_ccert"),
		TLSAuthOnly:         p.Bool("smtpd_tls_auth_only"),
		TLSHandshakeTimeout: p.Time("smtpd_starttls_timeout"),
		PlaintextCode:       p.Int("plaintext_reject_code"),
		TLSWrapperMode:      p.Bool("smtpd_tls_wrappermode"),

		SASLEnable:        p.Bool("smtpd_sasl_auth_enable"),
		SASLPath:          p.Str("smtpd_sasl_path"),
		SASLService:       p.Str("smtpd_sasl_service"),
		SASLSecOpts:       p.List("smtpd_sasl_security_options"),
		SASLTLSSecOpts:    p.List("smtpd_sasl_tls_security_options"),
		SASLExceptions:    p.List("smtpd_sasl_exceptions_networks"),
		SASLAuthHeader:    p.Bool("smtpd_sasl_authenticated_header"),
		BrokenSASLClients: p.Bool("broken_sasl_auth_clients"),
		SASLMechFilter:    p.List("smtpd_sasl_mechanism_filter"),
		SASLRespLimit:     p.Int("smtpd_sasl_response_limit"),

		IPv4: hasProto(p.List("inet_protocols"), "ipv4"),
		IPv6: hasProto(p.List("inet_protocols"), "ipv6"),
	}
	switch strings.ToLower(p.Str("smtpd_forbid_bare_newline")) {
	case "yes", "normalize":
		c.BareLF = bareLFNormalize
	case "reject":
		c.BareLF = bareLFReject
	}
	for _, name := range p.List("parent_domain_matches_subdomains") {
		if name == "smtpd_access_maps" {
			c.AccessMapsParentMatch = true
		}
	}
	c.InputTransp, c.Err = namemask.Parse("receive_override_options", inputTranspNames, p.Str("receive_override_options"))
	if c.Err == nil {
		c.NotifyMask, c.Err = namemask.Parse("notify_classes", postmail.ErrorClassNames, p.Str("notify_classes"))
	}
	c.ProxyFilter, c.ProxyFilterTimeout, c.ProxyEHLO = p.Str("smtpd_proxy_filter"), p.Time("smtpd_proxy_timeout"), p.Str("smtpd_proxy_ehlo")
	c.DelayOpen = p.Bool("smtpd_delay_open_until_valid_rcpt")
	c.CommandFilter = p.Str("smtpd_command_filter")
	if c.Err == nil && c.ProxyFilter != "" {
		var opts int
		opts, c.Err = namemask.Parse("smtpd_proxy_options", proxyOptionNames, p.Str("smtpd_proxy_options"))
		c.ProxySpeedAdjust = opts&proxySpeedAdjust != 0
	}
	// A class without a definition is left out (the program ends
	// with Postfix's fatal error when it opens the classes' tables).
	for _, class := range p.List("smtpd_restriction_classes") {
		if p.Raw(class) != "" {
			c.RestrictionClasses[class] = p.List(class)
		}
	}
	return c
}

// hasProto reports whether an inet_protocols list enables a protocol.
func hasProto(protocols []string, proto string) bool {
	for _, w := range protocols {
		if strings.EqualFold(w, "all") || strings.EqualFold(w, proto) {
			return true
		}
	}
	return false
}

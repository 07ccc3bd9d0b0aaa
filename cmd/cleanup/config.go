package main

import (
	"strings"
	"time"

	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/mime"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// params is where configuration values come from.
type params interface {
	Str(name string) string
	Bool(name string) bool
	Int(name string) int
	Time(name string) time.Duration
}

// Address classes of canonical_classes and masquerade_classes
// (CLEANUP_CANON_FLAG_*, CLEANUP_MASQ_FLAG_*).
const (
	classEnvFrom = 1 << iota
	classEnvRcpt
	classHdrFrom
	classHdrRcpt
)

// Extension propagation (EXT_PROP_*).
const (
	propCanonical = 1 << iota
	propVirtual
	propAlias
	propForward
	propInclude
	propGeneric
)

// config is the daemon's configuration, read once.
type config struct {
	log     *msg.Logger
	rw      *rewrite.Client
	hdrs    *headers.Table
	addrEnv *maps.AddrEnv

	myhostname      string
	emptyAddr       string
	lineLimit       int
	headerLimit     int
	hopLimit        int
	delayWarn       int64 // seconds
	bodyCheckLen    int64
	longIDs         bool
	alwaysAddHdrs   bool
	auto8bitHdr     bool
	rcptWithheld    string
	fromFormatStd   bool
	enableOrcpt     bool
	dupLimit        int
	alwaysBcc       string
	remoteRwrDomain string
	attrLimit       int
	smtputf8        bool
	extProp         int
	maskStrayCRLF   bool
	verpFilter      string
	tokenLimit      int

	virtExpLimit, virtRecLimit, virtAddrLenLimit int

	sendCanon, rcptCanon, commCanon *maps.Maps
	sendCanonFl, rcptCanonFl        int
	commCanonFl                     int
	masqDomains                     []string
	masqExceptions                  map[string]bool
	masqFlags                       int
	virtAlias                       *maps.Maps
	sendBcc, rcptBcc                *maps.Maps
	headerChecks, bodyChecks        *maps.Maps
	mimeHdrChecks, nestHdrChecks    *maps.Maps

	// MIME processing: disable_mime_input_processing, the strict_*
	// checks, whether any header checks are configured, the limits.
	disableMIME     bool
	strict8BitMIME  bool
	strict7BitHdrs  bool
	strict8BitBody  bool
	strictEncoding  bool
	anyHeaderChecks bool
	mimeLimits      mime.Limits

	milterConfig
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(maps.CommaSpace, r) })
}

// classFlags converts a *_classes value.
func classFlags(s string) int {
	f := 0
	for _, c := range splitList(s) {
		switch strings.ToLower(c) {
		case "envelope_sender":
			f |= classEnvFrom
		case "envelope_recipient":
			f |= classEnvRcpt
		case "header_sender":
			f |= classHdrFrom
		case "header_recipient":
			f |= classHdrRcpt
		}
	}
	return f
}

func extPropFlags(s string) int {
	names := map[string]int{"canonical": propCanonical, "virtual": propVirtual, "alias": propAlias,
		"forward": propForward, "include": propInclude, "generic": propGeneric}
	f := 0
	for _, c := range splitList(s) {
		f |= names[strings.ToLower(c)]
	}
	return f
}

// newConfig reads the configuration and opens the tables.
func newConfig(p params, reg *dict.Registry, log *msg.Logger, rw *rewrite.Client, local *maps.Local) (*config, error) {
	c := &config{
		log:              log,
		rw:               rw,
		hdrs:             headers.NewTable(p.Str("message_drop_headers")),
		myhostname:       p.Str("myhostname"),
		emptyAddr:        p.Str("empty_address_recipient"),
		lineLimit:        p.Int("line_length_limit"),
		headerLimit:      p.Int("header_size_limit"),
		hopLimit:         p.Int("hopcount_limit"),
		delayWarn:        int64(p.Time("delay_warning_time") / time.Second),
		bodyCheckLen:     int64(p.Int("body_checks_size_limit")),
		longIDs:          p.Bool("enable_long_queue_ids"),
		alwaysAddHdrs:    p.Bool("always_add_missing_headers"),
		auto8bitHdr:      p.Bool("detect_8bit_encoding_header"),
		rcptWithheld:     p.Str("undisclosed_recipients_header"),
		fromFormatStd:    !strings.EqualFold(p.Str("header_from_format"), "obsolete"),
		enableOrcpt:      p.Bool("enable_original_recipient"),
		dupLimit:         p.Int("duplicate_filter_limit"),
		alwaysBcc:        p.Str("always_bcc"),
		remoteRwrDomain:  p.Str("remote_header_rewrite_domain"),
		attrLimit:        p.Int("queue_file_attribute_count_limit"),
		smtputf8:         p.Bool("smtputf8_enable"),
		extProp:          extPropFlags(p.Str("propagate_unmatched_extensions")),
		maskStrayCRLF:    true,
		tokenLimit:       p.Int("header_address_token_limit"),
		verpFilter:       p.Str("verp_delimiter_filter"),
		virtExpLimit:     p.Int("virtual_alias_expansion_limit"),
		virtRecLimit:     p.Int("virtual_alias_recursion_limit"),
		virtAddrLenLimit: p.Int("virtual_alias_address_length_limit"),
		sendCanonFl:      classFlags(p.Str("sender_canonical_classes")),
		rcptCanonFl:      classFlags(p.Str("recipient_canonical_classes")),
		commCanonFl:      classFlags(p.Str("canonical_classes")),
		masqDomains:      splitList(p.Str("masquerade_domains")),
		masqFlags:        classFlags(p.Str("masquerade_classes")),
		masqExceptions:   map[string]bool{},
		disableMIME:      p.Bool("disable_mime_input_processing"),
		strict8BitMIME:   p.Bool("strict_8bitmime"),
		strict7BitHdrs:   p.Bool("strict_7bit_headers"),
		strict8BitBody:   p.Bool("strict_8bitmime_body"),
		strictEncoding:   p.Bool("strict_mime_encoding_domain"),
		anyHeaderChecks: p.Str("header_checks") != "" || p.Str("mime_header_checks") != "" ||
			p.Str("nested_header_checks") != "",
		// The real 3.7.11 cleanup accepts one multipart level more than
		// mime_nesting_limit (seen with limits 1 and 2: its nesting
		// counter is not initialized and starts at -1 in practice).
		mimeLimits: mime.Limits{HeaderSize: p.Int("header_size_limit"), Nesting: p.Int("mime_nesting_limit") + 1,
			BoundaryLen: p.Int("mime_boundary_length_limit")},
	}
	c.addrEnv = &maps.AddrEnv{
		Delim:         p.Str("recipient_delimiter"),
		MyOrigin:      p.Str("myorigin"),
		DoubleBounce:  p.Str("double_bounce_sender"),
		OwnReqSpecial: p.Bool("owner_request_special"),
		IsLocal:       local.Match,
	}
	for _, e := range splitList(p.Str("masquerade_exceptions")) {
		c.masqExceptions[strings.ToLower(e)] = true
	}
	for i, d := range c.masqDomains {
		c.masqDomains[i] = strings.ToLower(d)
	}
	var err error
	table := func(name string, flags dict.Flags) *maps.Maps {
		if err != nil || p.Str(name) == "" {
			return nil
		}
		var m *maps.Maps
		m, err = maps.Open(reg, name, p.Str(name), flags, log)
		return m
	}
	c.sendCanon = table("sender_canonical_maps", dict.FlagDefault)
	c.rcptCanon = table("recipient_canonical_maps", dict.FlagDefault)
	c.commCanon = table("canonical_maps", dict.FlagDefault)
	c.virtAlias = table("virtual_alias_maps", dict.FlagDefault)
	c.sendBcc = table("sender_bcc_maps", dict.FlagDefault)
	c.rcptBcc = table("recipient_bcc_maps", dict.FlagDefault)
	c.headerChecks = table("header_checks", dict.FlagDefault)
	c.bodyChecks = table("body_checks", dict.FlagDefault)
	c.mimeHdrChecks = table("mime_header_checks", dict.FlagDefault)
	c.nestHdrChecks = table("nested_header_checks", dict.FlagDefault)
	if err != nil {
		return c, err
	}
	c.milterConfig, err = newMilterConfig(p, reg, log)
	return c, err
}

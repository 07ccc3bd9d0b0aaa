package main

import (
	"strings"
	"time"

	"gopostfix/libmaster"
)

// lmtpNames are the LMTP spellings that are not simply "smtp_" with
// "lmtp_" in front (lmtp_params.c).
var lmtpNames = map[string]string{
	"smtp_helo_name":                         "lmtp_lhlo_name",
	"smtp_helo_timeout":                      "lmtp_lhlo_timeout",
	"smtp_discard_ehlo_keywords":             "lmtp_discard_lhlo_keywords",
	"smtp_discard_ehlo_keyword_address_maps": "lmtp_discard_lhlo_keyword_address_maps",
}

// smtpOnly are parameters the LMTP personality does not read; it uses the
// zero value instead, as Postfix's lmtp leaves those variables unset.
var smtpOnly = map[string]bool{
	"ignore_mx_lookup_error":           true,
	"smtp_always_send_ehlo":            true,
	"smtp_never_send_ehlo":             true,
	"smtp_tls_dane_insecure_mx_policy": true,
}

// params reads the parameters of one personality: every name is given
// in its smtp(8) spelling and translated for lmtp(8) (VAR_LMTP_SMTP).
type params struct {
	s    *libmaster.Server
	lmtp bool
}

// name is the parameter name this personality reads.
func (p params) name(smtpName string) string {
	if !p.lmtp {
		return smtpName
	}
	if n, ok := lmtpNames[smtpName]; ok {
		return n
	}
	if strings.HasPrefix(smtpName, "smtp_") {
		return "lmtp_" + smtpName[len("smtp_"):]
	}
	return smtpName
}

func (p params) skip(name string) bool { return p.lmtp && smtpOnly[name] }

func (p params) str(name string) string {
	if p.skip(name) {
		return ""
	}
	return p.s.Str(p.name(name))
}

func (p params) boolean(name string) bool {
	if p.skip(name) {
		return false
	}
	return p.s.Bool(p.name(name))
}

func (p params) integer(name string) int {
	if p.skip(name) {
		return 0
	}
	return p.s.Int(p.name(name))
}

func (p params) duration(name string) time.Duration {
	return p.s.Time(p.name(name))
}

// raw is the unexpanded value (for lists whose $names expand per use).
func (p params) raw(name string) string {
	v, _ := p.s.Config.Raw(p.name(name))
	return v
}

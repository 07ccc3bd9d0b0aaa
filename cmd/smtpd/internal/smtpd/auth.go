package smtpd

import (
	"strings"

	"gopostfix/libglobal/ehlomask"
	"gopostfix/libglobal/sasl"
)

// SMTP AUTH (smtpd_sasl_proto.c and smtpd_sasl_glue.c) through a SASL
// server such as Dovecot's: the EHLO announcement, the AUTH exchange with
// its 334 challenges, permit_sasl_authenticated and the AUTH= parameter
// of MAIL FROM.

// SASL is the authentication service.
type SASL interface {
	Mechanisms(options []string) ([]string, error)
	Authenticate(req sasl.Request) (sasl.Result, error)
}

// saslActive reports whether AUTH is available now: enabled, and with
// smtpd_tls_auth_only only inside TLS.
func (ss *Session) saslActive() bool {
	return ss.cfg.SASLEnable && ss.deps.SASL != nil && !ss.StandAlone
}

// saslMechanisms is the mechanism list announced in EHLO, or "".
func (ss *Session) saslMechanisms() string {
	if !ss.saslActive() || (ss.cfg.TLSAuthOnly && ss.tls == nil) {
		return ""
	}
	if len(ss.cfg.SASLExceptions) > 0 && ss.hostListMatch("smtpd_sasl_exceptions_networks", ss.cfg.SASLExceptions) {
		return ""
	}
	opts := ss.cfg.SASLSecOpts
	if ss.tls != nil {
		opts = ss.cfg.SASLTLSSecOpts
	}
	mechs, err := ss.deps.SASL.Mechanisms(opts)
	if err != nil {
		ss.log.Warnf("SASL: Connect to %s failed: %v", ss.cfg.SASLPath, err)
		return ""
	}
	return ss.saslMechFilter(strings.Join(mechs, " "))
}

// saslMechFilter is sasl_mech_filter: the mechanisms that
// smtpd_sasl_mechanism_filter keeps. A filter that keeps none is a
// fatal configuration error.
func (ss *Session) saslMechFilter(list string) string {
	if len(ss.cfg.SASLMechFilter) == 0 || list == "" {
		return list
	}
	var kept []string
	for _, m := range strings.Fields(list) {
		if ss.stringListMatch(ss.cfg.SASLMechFilter, m) {
			kept = append(kept, m)
		}
	}
	if len(kept) == 0 {
		ss.log.Fatalf("smtpd_sasl_mechanism_filter discards all mechanisms in '%s'", list)
	}
	return strings.Join(kept, " ")
}

func (ss *Session) authCmd(argv []token) bool {
	switch {
	case ss.cfg.HeloRequired && ss.heloName == "":
		ss.fail(errPolicy, "503 5.5.1 Error: send HELO/EHLO first")
		return false
	case !ss.saslActive() || ss.discardMask&ehlomask.Auth != 0 || ss.cfg.TLSAuthOnly && ss.tls == nil:
		// With smtpd_tls_auth_only, Postfix activates SASL only in TLS
		// (so its 504 "Encryption required" is never reached).
		ss.fail(errProtocol, "503 5.5.1 Error: authentication not enabled")
		return false
	case ss.saslUser != "":
		ss.fail(errProtocol, "503 5.5.1 Error: already authenticated")
		return false
	case len(argv) < 2 || len(argv) > 3:
		ss.fail(errProtocol, "501 5.5.4 Syntax: AUTH mechanism")
		return false
	case ss.inMail:
		ss.fail(errProtocol, "503 5.5.1 Error: MAIL transaction in progress")
		return false
	}
	if ss.cfg.AuthRateLimit > 0 && ss.anvilApplies() {
		if rate, err := ss.deps.Anvil.Auth(ss.Service, ss.client.Addr); err == nil && rate > ss.cfg.AuthRateLimit {
			ss.log.Warnf("AUTH command rate limit exceeded: %d from %s for service %s", rate, ss.namaddr, ss.Service)
			ss.failf(errPolicy, "450 4.7.1 Error: too many AUTH commands from %s", ss.client.Addr)
			return false
		}
	}
	// A server that judges mechanisms and base64 itself (Cyrus) gets
	// what the client sent, spelling included; the checks here are
	// xsasl_dovecot's.
	_, judges := ss.deps.SASL.(interface{ JudgesInput() bool })
	mech := argv[1].val
	if !judges {
		mech = strings.ToUpper(mech)
	}
	if !judges && !ss.saslMechOK(mech) {
		ss.log.Warnf("%s: SASL %s authentication failed: Invalid authentication mechanism, sasl_username=(unavailable)", ss.namaddr, mech)
		ss.reply("535 5.7.8 Error: authentication failed: Invalid authentication mechanism")
		return false
	}
	initial := ""
	if len(argv) == 3 {
		initial = argv[2].val
	}
	if !judges && initial != "" && !validBase64(initial) {
		ss.log.Warnf("%s: SASL %s authentication failed: Invalid base64 data in initial response%s", ss.namaddr, mech, saslUserSuffix(""))
		ss.reply("535 5.7.8 Error: authentication failed: Invalid base64 data in initial response")
		return false
	}
	tooLong, failure := false, ""
	res, err := ss.deps.SASL.Authenticate(sasl.Request{
		Mechanism: mech, Initial: initial, Service: ss.cfg.SASLService,
		LocalIP: ss.client.ServerAddr, RemoteIP: ss.client.Addr, Secured: ss.tls != nil,
		Challenge: func(ch string) (string, bool) {
			ss.reply("334 " + ch)
			line, complete := ss.s.getLine(ss.cfg.SASLRespLimit, true)
			ss.chatAppend("In:  ", cstr(line))
			if !complete {
				ss.log.Warnf("%s: request longer than %d: %s...", ss.namaddr, ss.cfg.SASLRespLimit, truncate(printable(cstr(line)), 30))
				tooLong = true
				return "", false
			}
			ans := cstr(line)
			if !judges && ans != "*" && !validBase64(ans) {
				failure = "Invalid base64 data in continued response"
				return "", false
			}
			return ans, ans != "*"
		},
	})
	switch {
	case tooLong:
		ss.reply("500 5.5.6 SASL response limit exceeded")
		return false
	case failure != "":
		ss.log.Warnf("%s: SASL %s authentication failed: %s%s", ss.namaddr, mech, failure, saslUserSuffix(""))
		ss.reply("535 5.7.8 Error: authentication failed: " + failure)
		return false
	case err != nil:
		ss.log.Warnf("%s: SASL %s authentication failed: %v", ss.namaddr, mech, err)
		ss.reply("454 4.7.0 Temporary authentication failure: Connection lost to authentication server")
		return false
	case res.Aborted:
		ss.log.Warnf("%s: SASL %s authentication aborted", ss.namaddr, mech)
		ss.reply("501 5.7.0 Authentication aborted")
		return false
	case !res.OK:
		reason := orText(res.Reason, "(reason unavailable)")
		ss.log.Warnf("%s: SASL %s authentication failed: %s%s", ss.namaddr, mech, reason, saslUserSuffix(res.Username))
		if res.Temp { // RFC 4954 section 6
			ss.reply("454 4.7.0 Temporary authentication failure: " + reason)
		} else {
			ss.reply("535 5.7.8 Error: authentication failed: " + reason)
		}
		return false
	}
	ss.reply("235 2.7.0 Authentication successful")
	ss.saslUser = printable(res.Username)
	ss.saslMethod = printable(mech)
	return true
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func saslUserSuffix(user string) string {
	return ", sasl_username=" + orText(user, "(unavailable)")
}

// saslMechOK reports whether a mechanism is one the authentication
// server offers under the security options; smtpd_sasl_mechanism_filter
// only shortens the EHLO announcement, as in Postfix.
func (ss *Session) saslMechOK(mech string) bool {
	filter := ss.cfg.SASLMechFilter
	ss.cfg.SASLMechFilter = nil
	defer func() { ss.cfg.SASLMechFilter = filter }()
	for _, m := range strings.Fields(ss.saslMechanisms()) {
		if m == mech {
			return true
		}
	}
	return false
}

// saslMailOpt handles the AUTH= parameter of MAIL FROM; it returns an
// error reply or "".
func (ss *Session) saslMailOpt(addr string) string {
	if !ss.saslActive() {
		return "503 5.5.4 Error: authentication disabled"
	}
	if ss.saslSender != "" {
		ss.errMask |= errProtocol
		return "503 5.5.4 Error: multiple AUTH= options"
	}
	if addr != "<>" {
		ss.saslSender = printable(addr)
	}
	return ""
}

// saslLogSuffix is the SASL part of the "client=" log line.
func (ss *Session) saslLogSuffix() string {
	var b strings.Builder
	if ss.saslMethod != "" {
		b.WriteString(", sasl_method=" + ss.saslMethod)
	}
	if ss.saslUser != "" {
		b.WriteString(", sasl_username=" + ss.saslUser)
	}
	if ss.saslSender != "" {
		b.WriteString(", sasl_sender=" + ss.saslSender)
	}
	return b.String()
}

// permitSASL is permit_sasl_authenticated.
func (ss *Session) permitSASL() int {
	if ss.saslMethod != "" && !strings.EqualFold(ss.saslMethod, "anonymous") {
		return resOK
	}
	return resDunno
}

// validBase64 is xsasl_dovecot's is_valid_base64: only the base64
// alphabet and '=', anywhere.
func validBase64(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && c != '+' && c != '/' && c != '=' {
			return false
		}
	}
	return true
}

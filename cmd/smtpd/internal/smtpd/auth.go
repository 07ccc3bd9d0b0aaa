package smtpd

import (
	"strings"

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
	return strings.Join(mechs, " ")
}

func (ss *Session) authCmd(argv []token) bool {
	switch {
	case ss.cfg.HeloRequired && ss.heloName == "":
		ss.reply("503 5.5.1 Error: send HELO/EHLO first")
		return false
	case !ss.saslActive() || ss.discardMask&ehloAuth != 0:
		ss.reply("503 5.5.1 Error: authentication not enabled")
		return false
	case ss.cfg.TLSAuthOnly && ss.tls == nil:
		ss.reply("504 5.5.4 Encryption required for requested authentication mechanism")
		return false
	case ss.saslUser != "":
		ss.reply("503 5.5.1 Error: already authenticated")
		return false
	case len(argv) < 2 || len(argv) > 3:
		ss.reply("501 5.5.4 Syntax: AUTH mechanism")
		return false
	case ss.inMail:
		ss.reply("503 5.5.1 Error: MAIL transaction in progress")
		return false
	}
	if ss.cfg.AuthRateLimit > 0 && ss.anvilApplies() {
		if rate, err := ss.deps.Anvil.Auth(ss.Service, ss.client.Addr); err == nil && rate > ss.cfg.AuthRateLimit {
			ss.log.Warnf("AUTH command rate limit exceeded: %d from %s for service %s", rate, ss.namaddr, ss.Service)
			ss.replyf("450 4.7.1 Error: too many AUTH commands from %s", ss.client.Addr)
			return false
		}
	}
	mech := strings.ToUpper(argv[1].val)
	if !ss.saslMechOK(mech) {
		ss.log.Warnf("%s: SASL %s authentication failed: Invalid authentication mechanism, sasl_username=(unavailable)", ss.namaddr, mech)
		ss.reply("535 5.7.8 Error: authentication failed: Invalid authentication mechanism")
		return false
	}
	initial := ""
	if len(argv) == 3 {
		initial = argv[2].val
	}
	res, err := ss.deps.SASL.Authenticate(sasl.Request{
		Mechanism: mech, Initial: initial, Service: ss.cfg.SASLService,
		LocalIP: ss.client.ServerAddr, RemoteIP: ss.client.Addr, Secured: ss.tls != nil,
		Challenge: func(ch string) (string, bool) {
			ss.reply("334 " + ch)
			line, _ := ss.s.getLine(ss.cfg.LineLimit, true)
			ans := cstr(line)
			return ans, ans != "*"
		},
	})
	switch {
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
		ss.reply("535 5.7.8 Error: authentication failed: " + reason)
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

// saslMechOK reports whether a mechanism is one we offer.
func (ss *Session) saslMechOK(mech string) bool {
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

package smtpd

import (
	"strconv"
	"strings"

	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/tok822"
)

// milterEval is the Milter macro lookup of a session (smtpd_milter.c
// smtpd_milter_eval): the value of a Sendmail macro name such as "{j}"
// or "{client_addr}" (a name without braces is looked up with them), or
// ok false when smtpd has no value for it now; then
// milter_macro_defaults may supply one.
func (ss *Session) milterEval(name string) (string, bool) {
	if !strings.HasPrefix(name, "{") {
		name = "{" + name + "}"
	}
	c := &ss.client
	switch name {
	case "{daemon_name}":
		return ss.cfg.MilterDaemonName, true
	case "{v}":
		return ss.cfg.MilterV, true
	case "{_}":
		return milter.HostMacro(c.Name, c.ReverseName, c.Addr), true
	case "{j}":
		return ss.cfg.MyHostname, true
	case "{client_addr}":
		return ss.rfcAddr(), true
	case "{client_port}":
		if c.Port == "unknown" {
			return "0", true
		}
		return c.Port, true
	case "{client_connections}":
		return strconv.Itoa(ss.connCount), true
	case "{client_name}":
		return c.Name, true
	case "{client_ptr}":
		return c.ReverseName, true
	case "{client_resolve}":
		return resolveStatus(c.NameStatus), true
	case "{daemon_addr}":
		return c.ServerAddr, true
	case "{daemon_port}":
		return c.ServerPort, true
	}
	if v, ok, known := ss.milterTLSMacro(name); known {
		return v, ok
	}
	switch name {
	case "{i}":
		return ss.queueID, ss.queueID != ""
	case "{auth_type}":
		return ss.saslMethod, ss.saslMethod != ""
	case "{auth_authen}":
		return ss.saslUser, ss.saslUser != ""
	case "{auth_author}":
		return ss.saslSender, ss.saslSender != ""
	}
	return ss.milterAddrMacro(name)
}

// resolveStatus is {client_resolve}: how the client name lookup went.
func resolveStatus(st int) string {
	switch st {
	case PeerOK:
		return "OK"
	case PeerForged:
		return "FORGED"
	case PeerTemp:
		return "TEMP"
	}
	return "FAIL"
}

// milterTLSMacro gives the TLS macros: protocol and cipher once TLS is
// on, the certificate names only for a trusted client certificate.
// known is false for other names.
func (ss *Session) milterTLSMacro(name string) (v string, ok, known bool) {
	t := ss.tls
	switch name {
	case "{tls_version}":
		if t == nil {
			return "", false, true
		}
		return t.Protocol, true, true
	case "{cipher}":
		if t == nil {
			return "", false, true
		}
		return t.Cipher, true, true
	case "{cipher_bits}":
		if t == nil {
			return "", false, true
		}
		return strconv.Itoa(t.Bits), true, true
	case "{cert_subject}":
		if t == nil || !t.Verified {
			return "", false, true
		}
		return t.PeerCN, true, true
	case "{cert_issuer}":
		if t == nil || !t.Verified {
			return "", false, true
		}
		return t.IssuerCN, true, true
	}
	return "", false, false
}

// milterAddrMacro gives the sender and recipient macros: the address as
// trivial-rewrite resolves it (quoted as in an SMTP command), its
// next-hop and transport. For a recipient that smtpd rejected, the
// macros describe the rejection as Sendmail's error mailer would: the
// enhanced status code as host, the reply text as address.
func (ss *Session) milterAddrMacro(name string) (string, bool) {
	sender, haveSender := ss.check.sender, ss.check.sender != nil
	rcpt, haveRcpt := ss.check.recipient, ss.check.recipient != nil
	if !haveRcpt && ss.recipient != "" {
		rcpt, haveRcpt = &ss.recipient, true
	}
	switch name {
	case "{mail_addr}", "{mail_host}", "{mail_mailer}":
		if !haveSender {
			return "", false
		}
		if name == "{mail_addr}" && *sender == "" {
			return "", true
		}
		return ss.milterResolved(name, strOrEmpty(rcpt), *sender), true
	case "{rcpt_addr}", "{rcpt_host}", "{rcpt_mailer}":
		if !haveRcpt {
			return "", false
		}
		if name == "{rcpt_addr}" && *rcpt == "" {
			return "", true
		}
		if ss.milterRejectText != "" {
			return rejectMacro(name, ss.milterRejectText)
		}
		return ss.milterResolved(name, strOrEmpty(sender), *rcpt), true
	}
	return "", false
}

// milterResolved is one field of the resolver's answer for addr.
func (ss *Session) milterResolved(name, other, addr string) string {
	var r Resolved
	if ss.deps.Resolver != nil {
		r, _ = ss.deps.Resolver.Resolve(other, addr)
	}
	switch {
	case strings.HasSuffix(name, "_host}"):
		return r.Nexthop
	case strings.HasSuffix(name, "_mailer}"):
		return r.Transport
	case r.Recipient == "":
		return ""
	}
	return tok822.Quote821Local(r.Recipient, tok822.QuoteDefault)
}

// rejectMacro takes a rcpt macro from smtpd's reject reply ("554 5.7.1
// <u@example.com>: Relay access denied"): {rcpt_host} is the word after
// the code, {rcpt_addr} what follows the next word, {rcpt_mailer} is
// "error".
func rejectMacro(name, reply string) (string, bool) {
	if name == "{rcpt_mailer}" {
		return "error", true
	}
	rest := ""
	if len(reply) > 4 {
		rest = reply[4:]
	}
	host, after, found := strings.Cut(rest, " ")
	if name == "{rcpt_host}" {
		return host, true
	}
	if !found {
		return "", false
	}
	_, text, found := strings.Cut(after, " ")
	return text, found
}

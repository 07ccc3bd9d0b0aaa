package smtpd

import (
	"strings"
)

// builtin runs a named restriction that takes no argument, a restriction
// class, or a bare lookup table.
func (ss *Session) builtin(lower, name string, st stage) int {
	switch lower {
	case "permit_auth_destination":
		if st.class == "Recipient address" && ss.authDestination(st.name) {
			return resOK
		}
		return resDunno
	case "reject_unauth_destination", "defer_unauth_destination":
		if st.class != "Recipient address" || ss.authDestination(st.name) {
			return resDunno
		}
		code := ss.cfg.RelayCode
		if lower == "defer_unauth_destination" {
			code -= 100
		}
		return ss.rejectAs(errPolicy, code, "5.7.1", "<%s>: Relay access denied", st.name)
	case "reject_unknown_client_hostname", "reject_unknown_client":
		// RFC 7372's 4.7.25 "Reverse DNS validation failed".
		if st := ss.client.NameStatus; st != PeerOK {
			return ss.rejectAs(errPolicy, ss.unknownClientCode(st >= PeerPerm), "4.7.25",
				"Client host rejected: cannot find your hostname, [%s]", ss.client.Addr)
		}
		return resDunno
	case "reject_unknown_reverse_client_hostname":
		if st := ss.client.ReverseNameStatus; st != PeerOK {
			return ss.rejectAs(errPolicy, ss.unknownClientCode(st == PeerPerm), "4.7.1",
				"Client host rejected: cannot find your reverse hostname, [%s]", ss.client.Addr)
		}
		return resDunno
	case "reject_invalid_helo_hostname", "reject_invalid_hostname":
		helo := ss.heloName
		if helo == "" {
			return resDunno
		}
		if strings.HasPrefix(helo, "[") {
			if !validMailhostLiteral(helo) {
				return ss.rejectAs(errPolicy, ss.cfg.BadNameCode, "5.5.2", "<%s>: Helo command rejected: invalid ip address", helo)
			}
			return resDunno
		}
		if !validHostname(strings.TrimSuffix(helo, ".")) {
			return ss.rejectAs(errPolicy, ss.cfg.BadNameCode, "5.5.2", "<%s>: Helo command rejected: Invalid name", helo)
		}
		return resDunno
	case "reject_non_fqdn_helo_hostname", "reject_non_fqdn_hostname":
		helo := ss.heloName
		if helo == "" || strings.HasPrefix(helo, "[") {
			return resDunno
		}
		h := strings.TrimSuffix(helo, ".")
		if !validHostname(h) || !strings.Contains(h, ".") {
			return ss.rejectAs(errPolicy, ss.cfg.NonFQDNCode, "5.5.2", "<%s>: Helo command rejected: need fully-qualified hostname", helo)
		}
		return resDunno
	case "reject_unknown_helo_hostname", "reject_unknown_hostname":
		helo := ss.heloName
		if helo == "" || strings.HasPrefix(helo, "[") {
			return resDunno
		}
		return ss.unknownHost(helo, ss.cfg.UnkNameCode, "4.7.1", "<%s>: Helo command rejected: Host not found", ss.cfg.UnknownHelo)
	case "reject_non_fqdn_sender":
		return ss.nonFQDNAddr(ss.senderForCheck(), "Sender address")
	case "reject_non_fqdn_recipient":
		return ss.nonFQDNAddr(ss.rcptForCheck(), "Recipient address")
	case "reject_unknown_sender_domain":
		return ss.unknownDomain(ss.senderForCheck(), "Sender address", "4.1.8")
	case "reject_unknown_recipient_domain":
		return ss.unknownDomain(ss.rcptForCheck(), "Recipient address", "4.1.2")
	case "reject_plaintext_session":
		if ss.tls == nil {
			return ss.rejectAs(errPolicy, ss.cfg.PlaintextCode, "4.7.1", "Session encryption is required")
		}
		return resDunno
	case "reject_unverified_recipient":
		if r := ss.rcptForCheck(); r != nil && *r != "" {
			return ss.unverified(*r, "Recipient address", "4.1.1", ss.cfg.UnvRcpt)
		}
		return resDunno
	case "reject_unverified_sender":
		if a := ss.senderForCheck(); a != nil && *a != "" {
			return ss.unverified(*a, "Sender address", "4.1.7", ss.cfg.UnvSender)
		}
		return resDunno
	case "reject_unlisted_recipient", "check_recipient_maps":
		if r := ss.rcptForCheck(); r != nil && *r != "" {
			return ss.checkRecipientRcptMaps(*r)
		}
		return resDunno
	case "reject_unlisted_sender":
		if a := ss.senderForCheck(); a != nil && *a != "" {
			return ss.checkSenderRcptMaps(*a)
		}
		return resDunno
	case "reject_authenticated_sender_login_mismatch", "reject_known_sender_login_mismatch",
		"reject_unauthenticated_sender_login_mismatch":
		return ss.loginRestriction(lower, name)
	case "reject_sender_login_mismatch":
		return ss.restrictions([]string{"reject_authenticated_sender_login_mismatch",
			"reject_unauthenticated_sender_login_mismatch"}, st)
	}
	if list, ok := ss.cfg.RestrictionClasses[name]; ok {
		return ss.restrictions(list, st)
	}
	if strings.Contains(name, ":") && st.access != "" {
		if st.access == "check_etrn_access" {
			return ss.checkAccess("check_helo_access", name, st)
		}
		return ss.checkAccess(st.access, name, st)
	}
	ss.log.Warnf("unknown smtpd restriction: \"%s\"", name)
	return ss.rejectAs(errSoftware, 451, "4.3.5", "Server configuration error")
}

func (ss *Session) senderForCheck() *string { return ss.check.sender }
func (ss *Session) rcptForCheck() *string   { return ss.check.recipient }

// authDestination is permit_auth_destination: the recipient is ours or a
// domain we relay for.
func (ss *Session) authDestination(rcpt string) bool {
	if ss.deps.Resolver == nil {
		return false
	}
	r, err := ss.deps.Resolver.Resolve(ss.sender, rcpt)
	if err != nil || r.Flags&ResolveFail != 0 {
		return false
	}
	if !strings.Contains(r.Recipient, "@") {
		return true
	}
	if !ss.cfg.AllowUntrustedRouting && r.Flags&ResolveRouted != 0 {
		return false
	}
	return r.Flags&(ClassFinal|ClassRelay) != 0
}

// nonFQDNAddr is reject_non_fqdn_sender/recipient.
func (ss *Session) nonFQDNAddr(addr *string, class string) int {
	if addr == nil || *addr == "" {
		return resDunno
	}
	a := *addr
	i := strings.LastIndexByte(a, '@')
	ok := false
	if i >= 0 {
		d := a[i+1:]
		if strings.HasPrefix(d, "[") {
			ok = validMailhostLiteral(d)
		} else {
			d = strings.TrimSuffix(d, ".")
			ok = validHostname(d) && strings.Contains(d, ".")
		}
	}
	if ok {
		return resDunno
	}
	return ss.rejectAs(errPolicy, ss.cfg.NonFQDNCode, "5.5.2", "<%s>: %s rejected: need fully-qualified address", a, class)
}

// unknownHost checks that a host name has DNS records.
func (ss *Session) unknownHost(name string, code int, dsn, format, tempAction string) int {
	res := DNSTempFail
	if ss.deps.DNS != nil {
		res = ss.deps.DNS.Host(name)
	}
	switch res {
	case DNSFound:
		return resDunno
	case DNSNotFound:
		return ss.rejectAs(errPolicy, code, dsn, format, name)
	}
	return ss.tempfail(tempAction, dsn, format, name)
}

// tempfail applies a *_tempfail_action to a DNS failure.
func (ss *Session) tempfail(action, dsn, format string, args ...any) int {
	switch strings.ToLower(action) {
	case "defer_if_permit":
		armDefer(&ss.check.deferIfPermit, 450, "4"+dsn[1:], format, args...)
		return resDunno
	case "reject":
		return ss.rejectAs(errPolicy, 554, "5"+dsn[1:], format, args...)
	}
	return ss.rejectAs(errPolicy, 450, "4"+dsn[1:], format, args...)
}

// unknownDomain is reject_unknown_sender/recipient_domain.
func (ss *Session) unknownDomain(addr *string, class, dsn string) int {
	if addr == nil || *addr == "" {
		return resDunno
	}
	a := *addr
	i := strings.LastIndexByte(a, '@')
	if i < 0 || i+1 >= len(a) || a[i+1] == '[' {
		return resDunno
	}
	if ss.deps.Resolver != nil {
		if r, err := ss.deps.Resolver.Resolve(ss.sender, a); err == nil && r.Flags&ClassFinal != 0 {
			return resDunno
		}
	}
	domain := a[i+1:]
	res := DNSTempFail
	if ss.deps.DNS != nil {
		res = ss.deps.DNS.MailDomain(domain)
	}
	switch res {
	case DNSFound:
		return resDunno
	case DNSNullMX:
		if class == "Sender address" {
			return ss.rejectAs(errPolicy, 550, "5.7.27", "<%s>: %s rejected: Domain %s does not accept mail (nullMX)", a, class, domain)
		}
		return ss.rejectAs(errPolicy, 556, "5.1.10", "<%s>: %s rejected: Domain %s does not accept mail (nullMX)", a, class, domain)
	case DNSNotFound:
		return ss.rejectAs(errPolicy, ss.cfg.UnkAddrCode, dsn, "<%s>: %s rejected: Domain not found", a, class)
	}
	return ss.tempfail(ss.cfg.UnknownAddrTempfail, dsn, "<%s>: %s rejected: Domain not found", a, class)
}

// unknownClientCode is unknown_client_reject_code for a name that does
// not exist, 450 for one that may appear later.
func (ss *Session) unknownClientCode(permanent bool) int {
	if permanent {
		return ss.cfg.UnkClientCode
	}
	return 450
}

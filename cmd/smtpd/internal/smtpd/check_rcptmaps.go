package smtpd

import (
	"strings"

	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/smtpreply"
)

// Reply classes of the address checks.
const (
	classSender    = "Sender address"
	classRecipient = "Recipient address"
)

// addrMaps opens a table list for mail address lookups; nil when the
// list is empty or the program gave no opener.
func (ss *Session) addrMaps(title, specs string) (*maps.Maps, error) {
	if strings.TrimSpace(specs) == "" || ss.deps.AddrMaps == nil {
		return nil, nil
	}
	return ss.deps.AddrMaps(title, specs)
}

// addrFind is check_mail_addr_find: mail_addr_find with the default
// strategy (recipient_delimiter stripping, local parts of local domains,
// @domain); a table that cannot be searched rejects the request with a
// temporary or configuration error (ok false, the result in res).
func (ss *Session) addrFind(title, specs, replyName, addr string) (value string, found bool, res int, ok bool) {
	m, err := ss.addrMaps(title, specs)
	if err != nil {
		return "", false, ss.rejectAs(errSoftware, 451, "4.3.5", "Server configuration error"), false
	}
	if m == nil {
		return "", false, resDunno, true
	}
	env := ss.deps.AddrEnv
	if env == nil {
		env = &maps.AddrEnv{}
	}
	r, err := m.MailAddrFind(env, addr, maps.FindDefault)
	if err != nil {
		return "", false, ss.dictError(err, replyName), false
	}
	return r.Value, r.Found, resDunno, true
}

// resolveAddr is smtpd_resolve_addr: the trivial-rewrite answer for
// addr; a failure is reject_dict_retry (ok false, the result in res).
func (ss *Session) resolveAddr(sender, addr string) (r Resolved, res int, ok bool) {
	if ss.deps.Resolver == nil {
		return r, ss.rejectAs(errData, 451, "4.3.0", "<%s>: Temporary lookup failure", addr), false
	}
	r, err := ss.deps.Resolver.Resolve(sender, addr)
	if err != nil || r.Flags&ResolveFail != 0 {
		return r, ss.rejectAs(errData, 451, "4.3.0", "<%s>: Temporary lookup failure", addr), false
	}
	return r, resDunno, true
}

// strOrEmpty dereferences an optional address.
func strOrEmpty(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// checkRcptMaps is check_rcpt_maps: an address that no canonical or
// virtual alias table knows, in a local, virtual mailbox or relay domain
// that has a recipient table, must be listed there; addresses resolving
// to the error or retry transports are refused. class says whether the
// sender or a recipient is checked.
func (ss *Session) checkRcptMaps(addr, class string) int {
	other := strOrEmpty(ss.check.sender)
	if class == classSender {
		other = strOrEmpty(ss.check.recipient)
	}
	r, res, ok := ss.resolveAddr(other, addr)
	if !ok {
		return res
	}
	c := ss.cfg
	lists := []struct{ title, specs string }{{"recipient_canonical_maps", c.RcptCanonMaps}}
	if class == classSender {
		lists = append(lists, struct{ title, specs string }{"sender_canonical_maps", c.SendCanonMaps})
	}
	lists = append(lists, struct{ title, specs string }{"canonical_maps", c.CanonicalMaps},
		struct{ title, specs string }{"virtual_alias_maps", c.VirtAliasMaps})
	for _, l := range lists {
		_, found, res, ok := ss.addrFind(l.title, l.specs, addr, r.Recipient)
		if !ok {
			return res
		}
		if found {
			return resDunno
		}
	}
	unknownDSN := "5.1.1"
	if class == classSender {
		unknownDSN = "5.1.0"
	}
	switch r.Transport {
	case "error":
		dsn, text := splitDSNDefault(r.Nexthop, unknownDSN)
		code := 550
		if r.Flags&ClassAlias != 0 {
			code = c.VirtAliasCode
		}
		return ss.rejectAs(errPolicy, code, dsnFix(dsn, class), "<%s>: %s rejected: %s", addr, class, text)
	case "retry":
		dsn, text := splitDSNDefault(r.Nexthop, "4"+unknownDSN[1:])
		return ss.rejectAs(errPolicy, 450, dsnFix(dsn, class), "<%s>: %s rejected: %s", addr, class, text)
	}
	var title, specs, table string
	var code int
	switch r.Flags & ResolveClasses {
	case ClassLocal:
		if matchLeft(c.DoubleBounce, r.Recipient) || matchLeft("postmaster", r.Recipient) || matchLeft("MAILER-DAEMON", r.Recipient) {
			return resDunno
		}
		title, specs, code, table = "local_recipient_maps", c.LocalRcptMapsRaw, c.LocalRcptCode, "local recipient table"
	case ClassVirtual:
		title, specs, code, table = "virtual_mailbox_maps", c.VirtMailboxMaps, c.VirtMailboxCode, "virtual mailbox table"
	case ClassRelay:
		title, specs, code, table = "relay_recipient_maps", c.RelayRcptMaps, c.RelayRcptCode, "relay recipient table"
	default:
		return resDunno
	}
	if strings.TrimSpace(specs) == "" {
		return resDunno
	}
	_, found, res, ok := ss.addrFind(title, specs, addr, r.Recipient)
	if !ok {
		return res
	}
	if found {
		return resDunno
	}
	suffix := ""
	if c.ShowUnkRcptTable {
		suffix = " in " + table
	}
	return ss.rejectAs(errPolicy, code, unknownDSN, "<%s>: %s rejected: User unknown%s", addr, class, suffix)
}

// matchLeft reports whether addr's local part is name (case-insensitive).
func matchLeft(name, addr string) bool {
	return name != "" && len(addr) > len(name) && strings.EqualFold(addr[:len(name)], name) && addr[len(name)] == '@'
}

// splitDSNDefault is dsn_split: an enhanced status code at the front of
// text, or def.
func splitDSNDefault(text, def string) (string, string) {
	if d, rest, ok := smtpreply.SplitDSN(text); ok {
		return d, rest
	}
	return def, text
}

// checkRecipientRcptMaps is check_recipient_rcpt_maps: at most one real
// check per recipient (a check under warn_if_reject does not count).
func (ss *Session) checkRecipientRcptMaps(rcpt string) int {
	if ss.cfg.InputTransp&transpUnknownRcpt != 0 || ss.check.rcptMapChecked {
		return resDunno
	}
	if !ss.check.warnIfReject {
		ss.check.rcptMapChecked = true
	}
	return ss.checkRcptMaps(rcpt, classRecipient)
}

// checkSenderRcptMaps is check_sender_rcpt_maps.
func (ss *Session) checkSenderRcptMaps(sender string) int {
	if ss.cfg.InputTransp&transpUnknownRcpt != 0 || ss.check.senderMapChecked {
		return resDunno
	}
	if !ss.check.warnIfReject {
		ss.check.senderMapChecked = true
	}
	return ss.checkRcptMaps(sender, classSender)
}

// senderOwners looks up the resolved sender address in
// smtpd_sender_login_maps: the owners' login names, or a reject (ok
// false, the result in res) when the address or the table cannot be
// looked up.
func (ss *Session) senderOwners(sender string) (owners string, found bool, res int, ok bool) {
	r, res, ok := ss.resolveAddr(strOrEmpty(ss.check.recipient), sender)
	if !ok {
		return "", false, res, false
	}
	return ss.addrFind("smtpd_sender_login_maps", ss.cfg.SenderLoginMaps, sender, r.Recipient)
}

// senderLoginMismatch is reject_authenticated_sender_login_mismatch
// (allowUnknown false) and reject_known_sender_login_mismatch's
// authenticated half (allowUnknown true): a logged-in client must be
// listed as an owner of the sender address in smtpd_sender_login_maps.
func (ss *Session) senderLoginMismatch(sender string, allowUnknown bool) int {
	if ss.cfg.SenderLoginMaps == "" || ss.saslUser == "" {
		return resDunno
	}
	owners, found, res, ok := ss.senderOwners(sender)
	if !ok {
		return res
	}
	if !found && allowUnknown {
		return resDunno
	}
	for _, name := range strings.FieldsFunc(owners, func(r rune) bool { return strings.ContainsRune(", \t\r\n", r) }) {
		if strings.EqualFold(name, ss.saslUser) {
			return resDunno
		}
	}
	return ss.rejectAs(errPolicy, 553, "5.7.1", "<%s>: Sender address rejected: not owned by user %s", sender, ss.saslUser)
}

// unauthSenderLogin is reject_unauthenticated_sender_login_mismatch: a
// client that did not log in may not use an address that has an owner.
func (ss *Session) unauthSenderLogin(sender string) int {
	if ss.cfg.SenderLoginMaps == "" || ss.saslUser != "" {
		return resDunno
	}
	_, found, res, ok := ss.senderOwners(sender)
	if !ok {
		return res
	}
	if found {
		return ss.rejectAs(errPolicy, 553, "5.7.1", "<%s>: Sender address rejected: not logged in", sender)
	}
	return resDunno
}

// loginRestriction runs the sender login restrictions; they need SASL.
func (ss *Session) loginRestriction(lower, name string) int {
	if !ss.cfg.SASLEnable {
		ss.log.Warnf("restriction `%s' ignored: no SASL support", name)
		return resDunno
	}
	sender := strOrEmpty(ss.check.sender)
	if sender == "" {
		return resDunno
	}
	switch lower {
	case "reject_authenticated_sender_login_mismatch":
		return ss.senderLoginMismatch(sender, false)
	case "reject_known_sender_login_mismatch":
		if ss.saslUser != "" {
			return ss.senderLoginMismatch(sender, true)
		}
		return ss.unauthSenderLogin(sender)
	case "reject_unauthenticated_sender_login_mismatch":
		return ss.unauthSenderLogin(sender)
	}
	// reject_sender_login_mismatch is a built-in class of both.
	if r := ss.senderLoginMismatch(sender, false); r != resDunno {
		return r
	}
	return ss.unauthSenderLogin(sender)
}

package smtpd

import (
	"errors"
	"net/netip"
	"strings"

	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
)

var errNoTables = errors.New("no lookup table support")

// fixedTable is a table whose flags say whether it takes partial keys
// (dict.Dict); tables without the method are treated as fixed-key ones.
type fixedTable interface{ Flags() dict.Flags }

// lookupKey looks key up; partial keys (parent domains, shorter
// networks) go to fixed-key tables only, as maps_find with
// DICT_FLAG_FIXED.
func lookupKey(t Table, key string, partial bool) (string, bool, error) {
	if f, ok := t.(fixedTable); ok && partial && f.Flags()&dict.FlagFixed == 0 {
		return "", false, nil
	}
	return t.Lookup(key)
}

// tableResult acts on the lookup of key: found values go to
// accessResult, a table that cannot be searched is logged as maps_find
// logs it and gives Postfix's configuration error result.
func (ss *Session) tableResult(table, key string, value string, found bool, err error, st stage) (int, bool) {
	dict.ExitIfFatal(ss.log, err) // as maps.Find does
	if err != nil {
		ss.log.Warnf("%s lookup error for \"%s\"", table, key)
		return ss.accessResultKey(serverConfigError, table, key, st), true
	}
	if found {
		return ss.accessResultKey(value, table, key, st), true
	}
	return resDunno, false
}

// checkDomainAccess is check_domain_access: the name, then (unless it is
// an address) its parent domains, as ".example.com" or, with
// parent_domain_matches_subdomains covering smtpd_access_maps,
// "example.com".
func (ss *Session) checkDomainAccess(t Table, table, domain string, st stage) (int, bool) {
	name := strings.ToLower(domain)
	for partial := false; name != ""; partial = true {
		v, found, err := lookupKey(t, name, partial)
		if res, done := ss.tableResult(table, name, v, found, err, st); done {
			return res, true
		}
		if !partial && validHostAddr(domain) {
			break
		}
		i := strings.IndexByte(name[1:], '.')
		if i < 0 {
			break
		}
		name = name[1+i:]
		if ss.cfg.AccessMapsParentMatch {
			name = name[1:]
		}
	}
	return resDunno, false
}

// checkAddrAccess is check_addr_access: the address, then shorter
// networks (1.2.3.4, 1.2.3, 1.2, 1; IPv6 by ':'-separated groups).
func (ss *Session) checkAddrAccess(t Table, table, addr string, st stage) (int, bool) {
	sep := byte('.')
	if strings.Contains(addr, ":") {
		sep = ':'
	}
	for a, partial := addr, false; ; partial = true {
		v, found, err := lookupKey(t, a, partial)
		if res, done := ss.tableResult(table, a, v, found, err, st); done {
			return res, true
		}
		i := strings.LastIndexByte(a, sep)
		if i <= 0 {
			return resDunno, false
		}
		a = a[:i]
	}
}

// validHostAddr is valid_hostaddr: an IPv4 or IPv6 address.
func validHostAddr(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

// accessStage is the reply name and class of an access check, which
// do not depend on the restriction list it appears in; ok is false when
// the thing checked is absent (no HELO, no sender yet).
func (ss *Session) accessStage(kind string, st stage) (stage, string, bool) {
	out := stage{access: st.access}
	switch kind {
	case "check_client_access", "check_client_a_access", "check_client_mx_access", "check_client_ns_access":
		out.name, out.class = ss.namaddr, "Client host"
		return out, ss.client.Name, true
	case "check_reverse_client_hostname_access", "check_reverse_client_hostname_a_access",
		"check_reverse_client_hostname_mx_access", "check_reverse_client_hostname_ns_access":
		out.name, out.class = ss.client.ReverseName, "Unverified Client host"
		return out, ss.client.ReverseName, true
	case "check_helo_access", "check_helo_a_access", "check_helo_mx_access", "check_helo_ns_access":
		out.name, out.class = ss.heloName, "Helo command"
		return out, ss.heloName, ss.heloName != ""
	case "check_sender_access", "check_sender_a_access", "check_sender_mx_access", "check_sender_ns_access":
		if ss.check.sender == nil {
			return out, "", false
		}
		out.name, out.class = *ss.check.sender, classSender
		return out, out.name, true
	case "check_recipient_access", "check_recipient_a_access", "check_recipient_mx_access", "check_recipient_ns_access":
		if ss.check.recipient == nil {
			return out, "", false
		}
		out.name, out.class = *ss.check.recipient, classRecipient
		return out, out.name, true
	case "check_etrn_access":
		if st.class != "Etrn command" {
			return out, "", false
		}
		return st, st.name, true
	}
	return out, "", false
}

// checkAccess is check_{client,reverse_client_hostname,helo,sender,
// recipient,etrn}_access.
func (ss *Session) checkAccess(kind, table string, st stage) int {
	ast, _, ok := ss.accessStage(kind, st)
	if !ok {
		return resDunno
	}
	t, err := ss.openTable(table)
	if err != nil {
		return ss.rejectAs(errSoftware, 451, "4.3.5", "Server configuration error")
	}
	var res int
	switch kind {
	case "check_client_access":
		if res, ok = ss.checkDomainAccess(t, table, ss.client.Name, ast); !ok {
			res, _ = ss.checkAddrAccess(t, table, ss.client.Addr, ast)
		}
	case "check_reverse_client_hostname_access":
		if res, ok = ss.checkDomainAccess(t, table, ss.client.ReverseName, ast); !ok {
			res, _ = ss.checkAddrAccess(t, table, ss.client.Addr, ast)
		}
	case "check_helo_access", "check_etrn_access":
		res, _ = ss.checkDomainAccess(t, table, ast.name, ast)
	default:
		if ast.name != "" {
			return ss.checkMailAccess(table, ast)
		}
		if kind == "check_sender_access" {
			v, found, err := t.Lookup(ss.cfg.NullAccessKey)
			res, _ = ss.tableResult(table, ss.cfg.NullAccessKey, v, found, err, ast)
		}
	}
	return res
}

// checkMailAccess is check_mail_access: the address as trivial-rewrite
// resolves it, looked up as user+ext@domain, user@domain (without the
// recipient_delimiter extension), domain and its parents, user+ext@ and
// user@. A source-routed recipient never gets OK.
func (ss *Session) checkMailAccess(table string, st stage) int {
	other := strOrEmpty(ss.check.sender)
	if st.class == classSender {
		other = strOrEmpty(ss.check.recipient)
	}
	r, res, ok := ss.resolveAddr(other, st.name)
	if !ok {
		return res
	}
	if !strings.Contains(r.Recipient, "@") {
		ss.log.Warnf("check_mail_access: no @domain in address: %s", r.Recipient)
		return resDunno
	}
	m, err := ss.addrMaps(table, table)
	if err != nil || m == nil {
		return ss.accessResult(serverConfigError, table, st)
	}
	strategy := maps.FindFull | maps.FindNoExt | maps.FindDomain | maps.FindLocalpartAt | maps.FindPDDMDS
	if ss.cfg.AccessMapsParentMatch {
		strategy = strategy&^maps.FindPDDMDS | maps.FindPDMS
	}
	env := ss.deps.AddrEnv
	if env == nil {
		env = &maps.AddrEnv{}
	}
	found, err := m.MailAddrFind(env, r.Recipient, strategy)
	if err != nil {
		return ss.accessResult(serverConfigError, table, st)
	}
	if !found.Found {
		return resDunno
	}
	res = ss.accessResultKey(found.Value, table, r.Recipient, st)
	if res == resOK && !ss.cfg.AllowUntrustedRouting && r.Flags&ResolveRouted != 0 && st.class == classRecipient {
		return resDunno
	}
	return res
}

// serverConfigError is the access result Postfix substitutes for a
// table that could not be searched.
const serverConfigError = "451 4.3.5 Server configuration error"

// dictError turns a failed address table search into
// reject_dict_retry (temporary failure) or reject_server_error.
func (ss *Session) dictError(err error, replyName string) int {
	if dict.KindOf(err) == dict.KindRetry {
		return ss.rejectAs(errData, 451, "4.3.0", "<%s>: Temporary lookup failure", replyName)
	}
	return ss.rejectAs(errSoftware, 451, "4.3.5", "Server configuration error")
}

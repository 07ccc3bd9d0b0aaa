package smtpd

import (
	"strconv"
	"strings"

	"gopostfix/libglobal/dns"
	"gopostfix/libglobal/smtpreply"
	"gopostfix/libglobal/util/ipmatch"
	"gopostfix/libglobal/util/mac"
)

// DNS black and white lists (smtpd_check.c rbl_*): reject_rbl_client,
// reject_rhsbl_{client,reverse_client,helo,sender,recipient},
// permit_dnswl_client and permit_rhswl_client. A list argument is
// "zone" or "zone=filter", where the filter is an ipmatch pattern
// ("127.0.0.[2;4..6]"); a listing counts only when one of the A records
// matches it.

// rblQuery is one DNS list lookup: the name to query and what the reply
// names (rbl_class and rbl_what).
type rblQuery struct {
	name, class, what string
}

// rblRestriction runs a DNS list restriction; handled is false for
// names that are not DNS list restrictions.
func (ss *Session) rblRestriction(lower, arg string, st stage) (res int, handled bool) {
	zone, filter, filtered := strings.Cut(arg, "=")
	var q rblQuery
	switch lower {
	case "reject_rbl_client", "permit_dnswl_client":
		rev, err := dns.ReverseIP(ss.client.Addr)
		if err != nil {
			return resDunno, true
		}
		q = rblQuery{rev, "Client host", ss.client.Addr}
	case "reject_rhsbl_client", "permit_rhswl_client":
		if ss.client.Name == "unknown" {
			return resDunno, true
		}
		q = rblQuery{ss.client.Name, "Client host", ss.client.Name}
	case "reject_rhsbl_reverse_client":
		if ss.client.ReverseName == "unknown" {
			return resDunno, true
		}
		q = rblQuery{ss.client.ReverseName, "Unverified Client host", ss.client.ReverseName}
	case "reject_rhsbl_helo":
		if ss.heloName == "" || strings.HasPrefix(ss.heloName, "[") {
			return resDunno, true
		}
		q = rblQuery{ss.heloName, "Helo command", ss.heloName}
	case "reject_rhsbl_sender", "reject_rhsbl_recipient":
		addr, class := ss.check.sender, "Sender address"
		if lower == "reject_rhsbl_recipient" {
			addr, class = ss.check.recipient, "Recipient address"
		}
		if addr == nil {
			return resDunno, true
		}
		i := strings.LastIndexByte(*addr, '@')
		if i < 0 || i+1 == len(*addr) || (*addr)[i+1] == '[' {
			return resDunno, true
		}
		domain := (*addr)[i+1:]
		q = rblQuery{domain, class, domain}
	default:
		return resDunno, false
	}
	if ss.deps.DNS == nil {
		return resDunno, true
	}
	q.name = strings.TrimSuffix(q.name, ".") + "." + zone
	res2, addrs := ss.deps.DNS.Addrs(q.name)
	if listed := ss.rblListed(filtered, filter, addrs); res2 != DNSFound || !listed {
		return resDunno, true
	}
	if strings.HasPrefix(lower, "permit_") {
		return resOK, true
	}
	return ss.rblReject(q, zone, ss.deps.DNS.Text(q.name), st), true
}

// rblListed reports whether a DNS list reply counts: any A record
// without a filter, else one that the filter matches. A filter that
// does not parse ends the program as in Postfix, which parses it after
// the lookup, whatever the lookup found.
func (ss *Session) rblListed(filtered bool, filter string, addrs []string) bool {
	if !filtered {
		return len(addrs) > 0
	}
	f, err := ipmatch.Parse(filter)
	if err != nil {
		ss.log.Fatalf("RBL reply error: %v", err)
		return false
	}
	for _, a := range addrs {
		if f.Match(a) {
			return true
		}
	}
	return false
}

// rblReject builds the reply from default_rbl_reply or rbl_reply_maps.
func (ss *Session) rblReject(q rblQuery, zone, txt string, st stage) int {
	template := ss.cfg.RBLReply
	for _, spec := range ss.cfg.RBLReplyMaps {
		t, err := ss.openTable(spec)
		if err != nil {
			continue
		}
		if v, found, err := t.Lookup(zone); err == nil && found {
			template = v
			break
		}
	}
	vars := ss.expansionVars()
	vars["rbl_code"] = strconv.Itoa(ss.cfg.RBLCode)
	vars["rbl_class"] = q.class
	vars["rbl_what"] = q.what
	vars["rbl_domain"] = zone
	vars["rbl_reason"] = txt
	vars["rbl_txt"] = txt
	text, err := mac.Expand(template, func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok && v != ""
	}, mac.Options{})
	r, ok := smtpreply.Parse(text)
	if err != nil || !ok || r.Code < 400 || r.Code > 599 {
		ss.log.Warnf("%s: bad default_rbl_reply or rbl_reply_maps result: %s", zone, text)
		return ss.reject(false, 450, "4.7.1", "Service unavailable")
	}
	dsn := r.DSN
	if dsn == "" {
		dsn = "4.7.1"
	}
	return ss.reject(false, r.Code, dsn, "%s", r.Text)
}

// expansionVars are the smtpd attributes templates may use.
func (ss *Session) expansionVars() map[string]string {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return map[string]string{
		"client_address": ss.client.Addr, "client_name": ss.client.Name,
		"client_port": ss.client.Port, "reverse_client_name": ss.client.ReverseName,
		"helo_name": ss.heloName, "sender": str(ss.check.sender), "recipient": str(ss.check.recipient),
		"protocol_name": ss.protocol, "server_address": ss.client.ServerAddr, "server_port": ss.client.ServerPort,
	}
}

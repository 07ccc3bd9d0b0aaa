package main

import (
	"errors"
	"strings"

	"gopostfix/libglobal/dns"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
)

// openDNSFilter opens smtp_dns_reply_filter (dns_rr_filter_compile).
func (a *agent) openDNSFilter() error {
	v := p(a, "smtp_dns_reply_filter")
	if v == "" {
		return nil
	}
	m, err := maps.Open(a.reg, a.par.name("smtp_dns_reply_filter"), v, dict.FlagLock|dict.FlagFoldFix, a.log)
	if err != nil {
		return err
	}
	a.dnsFilter = func(rr string) (bool, error) { return a.dnsAction(m, rr) }
	return nil
}

// errDNSFilter is a filter that cannot be applied.
var errDNSFilter = errors.New("DNS reply filter error")

// dnsAction looks a record up in the filter and carries out the action
// found: IGNORE drops the record, anything else is an error
// (dns_rr_action).
func (a *agent) dnsAction(m *maps.Maps, rr string) (bool, error) {
	action, found, err := m.Find(rr, false)
	if err != nil {
		return false, err
	}
	if !found {
		return false, nil
	}
	n := strings.IndexAny(action, " \t")
	if n < 0 {
		n = len(action)
	}
	if strings.EqualFold(action[:n], "IGNORE") {
		a.log.Infof("ignoring DNS RR: %s", rr)
		return true, nil
	}
	a.log.Warnf("%s: unknown DNS filter action: \"%s\"", m.Title, action)
	return false, errDNSFilter
}

// lookup and lookupV are the client's DNS lookups, through the reply
// filter when there is one.
func (a *agent) lookup(name string, qtype uint16, dnssec bool) dns.XResult {
	res := a.resolver.LookupXF(name, qtype, dnssec, a.dnsFilter)
	if dnssec {
		a.dnssecCheck(res)
	}
	return res
}

func (a *agent) lookupV(name string, dnssec bool, qtypes ...uint16) dns.XResult {
	res := a.resolver.LookupXVF(name, dnssec, a.dnsFilter, qtypes...)
	if dnssec {
		a.dnssecCheck(res)
	}
	return res
}

package main

import (
	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/libglobal/dns"
)

// dnsChecks answers the engine's DNS questions with libglobal/dns.
type dnsChecks struct {
	r    *dns.Resolver
	ipv6 bool // inet_protocols includes ipv6: AAAA records count too
}

func (d dnsChecks) types(first ...uint16) []uint16 {
	if d.ipv6 {
		return append(first, dns.TypeAAAA)
	}
	return first
}

// Host is reject_unknown_hostname's lookup: A, MX (and AAAA).
func (d dnsChecks) Host(name string) smtpd.DNSResult {
	st, _ := d.r.Any(name, d.types(dns.TypeA, dns.TypeMX)...)
	return result(st)
}

// MailDomain is reject_unknown_mailhost's lookup: MX, then A (and AAAA).
func (d dnsChecks) MailDomain(domain string) smtpd.DNSResult {
	st, _ := d.r.Any(domain, d.types(dns.TypeMX, dns.TypeA)...)
	return result(st)
}

func result(st dns.Status) smtpd.DNSResult {
	switch st {
	case dns.OK:
		return smtpd.DNSFound
	case dns.NotFound:
		return smtpd.DNSNotFound
	case dns.NullMX:
		return smtpd.DNSNullMX
	}
	return smtpd.DNSTempFail
}

// Addrs is a DNS list query: the A records of name.
func (d dnsChecks) Addrs(name string) (smtpd.DNSResult, []string) {
	st, recs, _ := d.r.Lookup(name, dns.TypeA)
	var out []string
	for _, r := range recs {
		out = append(out, r.Data)
	}
	return result(st), out
}

// Text is the TXT record of a DNS list query name.
func (d dnsChecks) Text(name string) string {
	st, recs, _ := d.r.Lookup(name, dns.TypeTXT)
	if st != dns.OK {
		return ""
	}
	return recs[0].Data
}

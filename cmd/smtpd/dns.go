package main

import (
	"strings"

	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/libglobal/dns"
)

// dnsChecks answers the engine's DNS questions with libglobal/dns.
type dnsChecks struct {
	r     *dns.Resolver
	ipv4  bool // inet_protocols includes ipv4: A records count
	ipv6  bool // inet_protocols includes ipv6: AAAA records count too
	hosts *hostsFile
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

// Servers is dns_lookup of the MX or NS records of a domain, for
// check_*_{mx,ns}_access: the host names, or the resolver's error text.
func (d dnsChecks) Servers(domain string, ns bool) (smtpd.DNSResult, []string, string) {
	qtype := dns.TypeMX
	if ns {
		qtype = dns.TypeNS
	}
	x := d.r.LookupX(domain, qtype, false)
	switch x.Status {
	case dns.XOK:
		hosts := make([]string, 0, len(x.Records))
		for _, r := range x.Records {
			hosts = append(hosts, strings.TrimSuffix(r.Data, "."))
		}
		return smtpd.DNSFound, hosts, ""
	case dns.XNotFound:
		return smtpd.DNSNotFound, nil, herrText(x.Why)
	case dns.XNullMX:
		return smtpd.DNSNullMX, nil, ""
	case dns.XPolicy:
		return smtpd.DNSTempFail, nil, "DNS reply filter policy"
	}
	return smtpd.DNSTempFail, nil, herrText(x.Why)
}

// herrText is the resolver error at the end of a lookup explanation
// (dns_strerror of h_errno).
func herrText(why string) string {
	if i := strings.LastIndex(why, ": "); i >= 0 {
		return why[i+2:]
	}
	return why
}

// HostAddrs is hostname_to_sockaddr for the address families of
// inet_protocols: /etc/hosts first, then A (and AAAA) records, with
// getaddrinfo's error texts.
func (d dnsChecks) HostAddrs(name string) ([]string, string) {
	var out []string
	for _, a := range d.hosts.addrs(name) {
		if a.Is4() && d.ipv4 || a.Is6() && d.ipv6 {
			out = append(out, a.String())
		}
	}
	if len(out) > 0 {
		return out, ""
	}
	var types []uint16
	if d.ipv4 {
		types = append(types, dns.TypeA)
	}
	if d.ipv6 {
		types = append(types, dns.TypeAAAA)
	}
	why := "Name or service not known"
	noData := false
	for _, t := range types {
		x := d.r.LookupX(name, t, false)
		switch x.Status {
		case dns.XOK:
			for _, r := range x.Records {
				out = append(out, r.Data)
			}
		case dns.XNotFound:
			if strings.Contains(x.Why, "no data record") {
				noData = true
			}
		default:
			why = "Temporary failure in name resolution"
		}
	}
	if len(out) > 0 {
		return out, ""
	}
	if noData && why == "Name or service not known" {
		why = "No address associated with hostname"
	}
	return nil, why
}

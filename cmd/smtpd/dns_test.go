package main

import (
	"testing"
	"time"

	mdns "github.com/miekg/dns"

	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/libglobal/dns"
	"gopostfix/libglobal/dns/dnstest"
)

// TestDNSChecks runs the DNS adapter against a tiny DNS server on
// loopback (port 34553).
func TestDNSChecks(t *testing.T) {
	zone := map[string][]string{
		"host.example.":       {"host.example. 60 IN A 192.0.2.1"},
		"mail.example.":       {"mail.example. 60 IN MX 10 host.example."},
		"nomail.example.":     {"nomail.example. 60 IN MX 0 ."},
		"99.2.0.192.bl.test.": {"99.2.0.192.bl.test. 60 IN A 127.0.0.2", `99.2.0.192.bl.test. 60 IN TXT "see http://bl.test/"`},
		"v6only.example.":     {"v6only.example. 60 IN AAAA 2001:db8::1"},
		"servfail.example.":   nil,
	}
	const addr = "127.0.0.1:34553"
	dnstest.Serve(t, addr, mdns.HandlerFunc(func(w mdns.ResponseWriter, r *mdns.Msg) {
		m := new(mdns.Msg)
		m.SetReply(r)
		q := r.Question[0]
		recs, ok := zone[q.Name]
		switch {
		case q.Name == "servfail.example.":
			m.Rcode = mdns.RcodeServerFailure
		case !ok:
			m.Rcode = mdns.RcodeNameError
		}
		for _, s := range recs {
			if rr, err := mdns.NewRR(s); err == nil && rr.Header().Rrtype == q.Qtype {
				m.Answer = append(m.Answer, rr)
			}
		}
		w.WriteMsg(m)
	}))
	r := &dns.Resolver{Servers: []string{addr}, Timeout: time.Second, Retries: 1}
	d4, d6 := dnsChecks{r: r}, dnsChecks{r: r, ipv6: true}
	for _, tc := range []struct {
		got, want smtpd.DNSResult
		what      string
	}{
		{d4.Host("host.example"), smtpd.DNSFound, "Host A"},
		{d4.Host("mail.example"), smtpd.DNSFound, "Host MX"},
		{d4.Host("v6only.example"), smtpd.DNSNotFound, "Host AAAA without IPv6"},
		{d6.Host("v6only.example"), smtpd.DNSFound, "Host AAAA with IPv6"},
		{d4.Host("nx.example"), smtpd.DNSNotFound, "Host NXDOMAIN"},
		{d4.Host("servfail.example"), smtpd.DNSTempFail, "Host SERVFAIL"},
		{d4.MailDomain("mail.example"), smtpd.DNSFound, "MailDomain MX"},
		{d4.MailDomain("host.example"), smtpd.DNSFound, "MailDomain A"},
		{d4.MailDomain("nomail.example"), smtpd.DNSNullMX, "MailDomain null MX"},
		{d4.MailDomain("nx.example"), smtpd.DNSNotFound, "MailDomain NXDOMAIN"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %v, want %v", tc.what, tc.got, tc.want)
		}
	}
	st, addrs := d4.Addrs("99.2.0.192.bl.test")
	if st != smtpd.DNSFound || len(addrs) != 1 || addrs[0] != "127.0.0.2" {
		t.Errorf("Addrs: %v %v", st, addrs)
	}
	if txt := d4.Text("99.2.0.192.bl.test"); txt != "see http://bl.test/" {
		t.Errorf("Text: %q", txt)
	}
	if st, _ := d4.Addrs("98.2.0.192.bl.test"); st != smtpd.DNSNotFound {
		t.Errorf("unlisted: %v", st)
	}
}

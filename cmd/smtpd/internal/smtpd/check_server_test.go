package smtpd

import (
	"strings"
	"testing"
)

// zoneDNS answers MX/NS and address questions from maps; names not
// listed do not exist.
type zoneDNS struct {
	tempfailDNS
	mx, ns map[string][]string
	addrs  map[string][]string
}

func (z zoneDNS) Servers(domain string, ns bool) (DNSResult, []string, string) {
	m := z.mx
	if ns {
		m = z.ns
	}
	if domain == "servfail.test" {
		return DNSTempFail, nil, "Host not found, try again"
	}
	if hosts, ok := m[domain]; ok {
		if len(hosts) == 0 {
			return DNSNullMX, nil, ""
		}
		return DNSFound, hosts, ""
	}
	return DNSNotFound, nil, "Host not found"
}

func (z zoneDNS) HostAddrs(name string) ([]string, string) {
	if a, ok := z.addrs[name]; ok {
		return a, ""
	}
	return nil, "Name or service not known"
}

func TestCheckServerAccess(t *testing.T) {
	dns := zoneDNS{
		mx: map[string][]string{"mxbad.example": {"mx1.badmx.example"}, "nullmx.example": {},
			"literal.example": {"192.0.2.66"}},
		ns: map[string][]string{"parent.example": {"ns.badmx.example"}, "okns.example": {"ns.ok.example"}},
		addrs: map[string][]string{"mx1.badmx.example": {"192.0.2.1"}, "ns.badmx.example": {"192.0.2.2"},
			"plain.example": {"192.0.2.66"}, "ns.ok.example": {"192.0.2.3"}},
	}
	table := "inline:{{badmx.example=REJECT bad server}, {192.0.2.66=REJECT bad address}, {ok.example=OK}}"
	for _, tc := range []struct {
		restriction, sender, want, log string
	}{
		{"check_sender_mx_access", "a@mxbad.example", "554 5.7.1 <a@mxbad.example>: Sender address rejected: bad server", ""},
		{"check_sender_mx_access", "a@plain.example", "554 5.7.1 <a@plain.example>: Sender address rejected: bad address", ""},
		{"check_sender_mx_access", "a@nullmx.example", "250 2.1.5 Ok", ""},
		{"check_sender_mx_access", "a@literal.example", "554 5.7.1 <a@literal.example>: Sender address rejected: bad address",
			"warning: numeric domain name in resource data of MX record for literal.example: 192.0.2.66"},
		{"check_sender_mx_access", "a@[192.0.2.66]", "554 5.7.1 <a@[192.0.2.66]>: Sender address rejected: bad address", ""},
		{"check_sender_mx_access", "a@gone.example", "250 2.1.5 Ok",
			"warning: Unable to look up MX host gone.example for Sender address a@gone.example: Name or service not known"},
		{"check_sender_mx_access", "a@servfail.test", "250 2.1.5 Ok",
			"warning: Unable to look up MX host for servfail.test: Host not found, try again"},
		{"check_sender_ns_access", "a@sub.parent.example", "554 5.7.1 <a@sub.parent.example>: Sender address rejected: bad server", ""},
		{"check_sender_ns_access", "a@nowhere.example", "250 2.1.5 Ok",
			"warning: Unable to look up NS host for a@nowhere.example: Host not found"},
		{"check_sender_ns_access", "a@okns.example", "451 4.3.5 Server configuration error",
			"warning: restriction check_sender_ns_access returns OK for a@okns.example"},
		{"check_sender_a_access", "a@plain.example", "554 5.7.1 <a@plain.example>: Sender address rejected: bad address", ""},
		{"check_sender_a_access", "a@mxbad.example", "250 2.1.5 Ok", ""},
	} {
		p := baseParams()
		p["smtpd_sender_restrictions"] = tc.restriction + " " + table
		p["mynetworks"] = "192.0.2.0/24"
		p["local_recipient_maps"] = ""
		deps := newTestDeps(nil, []string{"mx.example.com"})
		deps.OpenTable = openFakeTable
		deps.DNS = dns
		replies, log := chat(t, p, deps, Client{Name: "c.example", Addr: "127.0.0.1", Port: "4000"},
			"HELO h.example", "MAIL FROM:<"+tc.sender+">", "RCPT TO:<postmaster@mx.example.com>", "QUIT")
		if len(replies) < 4 || replies[3] != tc.want {
			t.Errorf("%s %s: replies %q, want %q", tc.restriction, tc.sender, replies, tc.want)
		}
		if tc.log != "" && !strings.Contains(strings.Join(log, "\n"), tc.log) {
			t.Errorf("%s %s: log lacks %q:\n%s", tc.restriction, tc.sender, tc.log, strings.Join(log, "\n"))
		}
	}
}

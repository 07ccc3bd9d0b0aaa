package smtpd

// The DNS-based restrictions (check_*_{a,mx,ns}_access) need answers
// that both smtpds see alike. The real smtpd asks the C resolver, which
// reads /etc/resolv.conf; so the test binary, re-run as a DNS server in
// a network namespace of its own, answers on 127.0.0.1:53 there, and
// the smtpds of the DNS profiles run in that namespace with a private
// mount namespace whose /etc/resolv.conf names it (nsdns Wrapper). Their
// listening sockets come from master, outside, so clients still
// connect on the host's loopback; unix sockets are paths, reachable
// from both sides. tests/internal/nsdns runs the server.

// dnsRecords are the answers, one resource record per line. A name
// with records but none of the asked type gets an empty answer (no
// data); an unknown name NXDOMAIN; names under servfail.test SERVFAIL.
var dnsRecords = []string{
	"5.0.0.127.in-addr.arpa. 60 IN PTR mail.badmx.example.",
	"mail.badmx.example. 60 IN A 127.0.0.5",
	"6.0.0.127.in-addr.arpa. 60 IN PTR host.plain.example.",
	"host.plain.example. 60 IN A 127.0.0.6",
	"plain.example. 60 IN NS ns1.warnns.example.",
	"ns1.warnns.example. 60 IN A 10.0.0.9",
	"mxbad.example. 60 IN MX 10 mx1.badmx.example.",
	"mx1.badmx.example. 60 IN A 192.0.2.77",
	"mxaddr.example. 60 IN MX 10 mx.addr.example.",
	"mxaddr.example. 60 IN MX 20 mx2.addr.example.",
	"mx.addr.example. 60 IN A 192.0.2.65",
	"mx2.addr.example. 60 IN A 192.0.2.66",
	"mxmissing.example. 60 IN MX 10 gone.example.",
	"mxnodata.example. 60 IN MX 10 noaddr.example.",
	"noaddr.example. 60 IN TXT \"no address here\"",
	"nsok.example. 60 IN NS ns.okns.example.",
	"ns.okns.example. 60 IN A 192.0.2.99",
	"sub.nsparent.example. 60 IN A 192.0.2.1",
	"nsparent.example. 60 IN NS ns.badmx.example.",
	"ns.badmx.example. 60 IN A 192.0.2.98",
	"nullmx.example. 60 IN MX 0 .",
	"ahelo.example. 60 IN A 192.0.2.66",
	"discard.example. 60 IN NS ns.discns.example.",
	"ns.discns.example. 60 IN A 192.0.2.97",
	"mxliteral.example. 60 IN MX 10 192.0.2.66.",
}

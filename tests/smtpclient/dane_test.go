package smtpclient

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// DANE stub ports: STARTTLS with the DANE test certificate, and a server
// without STARTTLS.
const (
	daneTLSPort   = 27201
	danePlainPort = 27202
)

const daneMainCF = stubMainCF + `smtp_dns_support_level = dnssec
smtp_tls_CAfile = @ROOT@/etc/ca.pem
smtp_tls_loglevel = 1
`

const daneMasterCF = instance.MasterCF + `tlsmgr    unix  -       -       n       1000?   1       tlsmgr
dane      unix  -       -       n       -       -       smtp -o smtp_tls_security_level=dane
daneonly  unix  -       -       n       -       -       smtp -o smtp_tls_security_level=dane-only
daneencmx unix  -       -       n       -       -       smtp -o smtp_tls_security_level=dane -o smtp_tls_dane_insecure_mx_policy=encrypt
danemaymx unix  -       -       n       -       -       smtp -o smtp_tls_security_level=dane -o smtp_tls_dane_insecure_mx_policy=may
danenosec unix  -       -       n       -       -       smtp -o smtp_tls_security_level=dane -o smtp_dns_support_level=enabled
donlynosec unix -       -       n       -       -       smtp -o smtp_tls_security_level=dane-only -o smtp_dns_support_level=enabled
danefilter unix -       -       n       -       -       smtp -o smtp_tls_security_level=dane -o smtp_dns_reply_filter=regexp:@ROOT@/etc/dns_filter
`

const daneDNSFilter = `/^mx\.filtered\.test\. [0-9]+ IN A 127\.0\.0\.1$/ IGNORE
/^_27201\._tcp\.mx\.tlsafilter\.test\. [0-9]+ IN TLSA / IGNORE
/^mxfilter\.test\. [0-9]+ IN MX 10 / IGNORE
/^mx\.badaction\.test\. / REJECT
`

// daneCase is one destination: its recipient domain, the service and
// next hop the transport table gives it.
type daneCase struct{ domain, service, nexthop string }

var daneCases = []daneCase{
	{"ee.test", "dane", "ee.test:27201"},
	{"eecert.test", "dane", "eecert.test:27201"},
	{"ta.test", "dane", "ta.test:27201"},
	{"tanexthop.test", "dane", "tanexthop.test:27201"},
	{"tawrong.test", "dane", "tawrong.test:27201"},
	{"eebad.test", "dane", "eebad.test:27201"},
	{"pkix.test", "dane", "pkix.test:27201"},
	{"badlen.test", "dane", "badlen.test:27201"},
	{"notlsa.test", "dane", "notlsa.test:27201"},
	{"noad.test", "dane", "noad.test:27201"},
	{"servfail.test", "dane", "servfail.test:27201"},
	{"insecurehost.test", "dane", "insecurehost.test:27201"},
	{"plain.test", "dane", "plain.test:27202"},
	{"insecure.test", "dane", "insecure.test:27201"},
	{"bracket.test", "dane", "[mx.ee.test]:27201"},
	{"encmx.test", "daneencmx", "insecure.test:27201"},
	{"maymx.test", "danemaymx", "insecure.test:27201"},
	{"doee.test", "daneonly", "ee.test:27201"},
	{"donotlsa.test", "daneonly", "notlsa.test:27201"},
	{"doinsecure.test", "daneonly", "insecure.test:27201"},
	{"dopkix.test", "daneonly", "pkix.test:27201"},
	{"dobadlen.test", "daneonly", "badlen.test:27201"},
	{"dowrong.test", "daneonly", "eebad.test:27201"},
	{"nosec.test", "danenosec", "ee.test:27201"},
	{"donosec.test", "donlynosec", "ee.test:27201"},
	{"filtered.test", "danefilter", "filtered.test:27201"},
	{"tlsafilter.test", "danefilter", "tlsafilter.test:27201"},
	{"mxfilter.test", "danefilter", "mxfilter.test:27201"},
	{"badaction.test", "danefilter", "badaction.test:27201"},
}

// daneZone is the DNS data of the cases, with TLSA records made from
// the test certificates.
func daneZone(pki *testPKI) *testZone {
	spki := sha256.Sum256(pki.leaf.RawSubjectPublicKeyInfo)
	cert := sha512.Sum512(pki.leaf.Raw)
	ca := sha256.Sum256(pki.caDER)
	tlsa := func(host, rec string) string {
		return fmt.Sprintf("_%d._tcp.%s. 300 IN TLSA %s", daneTLSPort, host, rec)
	}
	host := func(domain, mx string) []string {
		return []string{domain + ". 300 IN MX 10 " + mx + ".", mx + ". 300 IN A 127.0.0.1"}
	}
	z := newTestZone()
	ee := "3 1 1 " + hex.EncodeToString(spki[:])
	taRec := "2 0 1 " + hex.EncodeToString(ca[:])
	signed := map[string][]string{
		"ee":         {ee},
		"eecert":     {"3 0 2 " + hex.EncodeToString(cert[:])},
		"ta":         {taRec},
		"tanexthop":  {taRec},
		"tawrong":    {taRec},
		"eebad":      {"3 1 1 " + strings.Repeat("00", 32)},
		"pkix":       {"0 0 1 " + hex.EncodeToString(ca[:]), "1 1 1 " + hex.EncodeToString(spki[:])},
		"badlen":     {"3 1 1 0011", "3 2 1 " + hex.EncodeToString(spki[:])},
		"notlsa":     nil,
		"plain":      {ee},
		"filtered":   {ee},
		"tlsafilter": {ee},
		"badaction":  {ee},
	}
	for name, recs := range signed {
		d := name + ".test"
		z.add(true, host(d, "mx."+d)...)
		for _, r := range recs {
			z.add(true, tlsa("mx."+d, r))
		}
	}
	// TLSA records that are not validated count as none.
	z.add(true, host("noad.test", "mx.noad.test")...)
	z.add(false, tlsa("mx.noad.test", ee))
	// A failing TLSA lookup.
	z.add(true, host("servfail.test", "mx.servfail.test")...)
	z.servfail[fmt.Sprintf("_%d._tcp.mx.servfail.test.", daneTLSPort)] = true
	// A signed MX whose host's address is not signed.
	z.add(true, "insecurehost.test. 300 IN MX 10 mx.insecurehost.test.")
	z.add(false, "mx.insecurehost.test. 300 IN A 127.0.0.1")
	z.add(true, tlsa("mx.insecurehost.test", ee))
	// An unsigned MX to a signed host with TLSA records.
	z.add(false, "insecure.test. 300 IN MX 10 mx.insecure.test.")
	z.add(true, "mx.insecure.test. 300 IN A 127.0.0.1", tlsa("mx.insecure.test", ee))
	// Two MX hosts, the better one dropped by the reply filter.
	z.add(true, "mxfilter.test. 300 IN MX 10 mx.ee.test.", "mxfilter.test. 300 IN MX 20 mx.eecert.test.")
	return z
}

// TestDANE compares DANE in our smtp with the real one: TLSA lookups
// with the DNSSEC AD bit, DANE-EE and DANE-TA matching with certificate
// and public-key selectors and every matching type, name checks for
// DANE-TA, unusable records, insecure MX and host records and
// smtp_tls_dane_insecure_mx_policy, lookup failures, dane-only
// failures, DNSSEC disabled, and smtp_dns_reply_filter on MX, A and
// TLSA records. Both run in a private network namespace with the same
// name server.
func TestDANE(t *testing.T) {
	instance.RequireRealPostfix(t)
	if !inNetns(t, "TestDANE", "SMTPCLIENT_OURS="+ours.Path(t, "smtp")) {
		return
	}
	oursPath := os.Getenv("SMTPCLIENT_OURS")
	pki := newPKIFor(t, "mx.ta.test", "tanexthop.test", "mx.tlsafilter.test")
	serveZone(t, daneZone(pki))
	realStatus, realOther := runDANE(t, pki, daneCases, nil)
	ourStatus, ourOther := runDANE(t, pki, daneCases, map[string]string{"smtp": oursPath})
	for _, c := range daneCases {
		r := "user@" + c.domain
		if realStatus[r] != ourStatus[r] {
			t.Errorf("status of %s:\nreal: %s\nours: %s", r, realStatus[r], ourStatus[r])
		}
	}
	if d := diffLines(realOther, ourOther); d != "" {
		t.Errorf("other log lines differ:\n%s", d)
	}
}

// runDANE delivers one message per case and returns the masked status
// line of each recipient and the client's other log lines.
func runDANE(t *testing.T, pki *testPKI, cases []daneCase, swap map[string]string) (map[string]string, []string) {
	files := map[string]string{"etc/ca.pem": string(pki.caPEM), "etc/dns_filter": daneDNSFilter}
	in := instance.New(t, instance.Options{Prefix: "smtpdane", Main: daneMainCF, Master: daneMasterCF, Files: files, Ours: swap})
	var tr strings.Builder
	for _, c := range cases {
		fmt.Fprintf(&tr, "%s %s:%s\n", c.domain, c.service, c.nexthop)
	}
	in.Write("etc/transport", tr.String())
	st := newStub(t, &pki.server, time.Second)
	st.listen("tcp", fmt.Sprintf("127.0.0.1:%d", daneTLSPort), "tls", mode{starttls: "srv"})
	st.listen("tcp", fmt.Sprintf("127.0.0.1:%d", danePlainPort), "plain", mode{})
	for _, c := range cases {
		in.Send("From: sender@bounces.test\nTo: user@"+c.domain+"\nSubject: dane\n\nbody\n", "-f", "sender@bounces.test", "user@"+c.domain)
	}
	statusRE := regexp.MustCompile(`postfix/smtp\[\d+\]: [0-9A-F]+: to=<([^>]*)>.*status=`)
	if !instance.WaitFor(90*time.Second, func() bool { return len(statusRE.FindAllString(in.Maillog(), -1)) >= len(cases) }) {
		t.Errorf("not every recipient has a status:\n%s", in.Maillog())
	}
	time.Sleep(500 * time.Millisecond)
	status := map[string]string{}
	var other []string
	for _, line := range strings.Split(in.Maillog(), "\n") {
		if m := statusRE.FindStringSubmatch(line); m != nil {
			status[m[1]] = mask(line, in.Root)
		} else if strings.Contains(line, "postfix/smtp[") {
			other = append(other, regexp.MustCompile(`^.*postfix/smtp\[\d+\]: `).ReplaceAllString(mask(line, in.Root), ""))
		}
	}
	sort.Strings(other)
	in.Halt()
	st.close()
	return status, other
}

// TestDNSSECProbe compares the dnssec_probe warnings of a process whose
// first DNSSEC lookup is not validated, with a name server that does
// not validate the root either.
func TestDNSSECProbe(t *testing.T) {
	instance.RequireRealPostfix(t)
	if !inNetns(t, "TestDNSSECProbe", "SMTPCLIENT_OURS="+ours.Path(t, "smtp")) {
		return
	}
	pki := newPKI(t)
	z := newTestZone()
	z.records = map[string][]zoneRR{}
	z.add(false, ". 3600 IN NS a.root-servers.test.", "unsigned.test. 300 IN MX 10 mx.unsigned.test.",
		"mx.unsigned.test. 300 IN A 127.0.0.1")
	serveZone(t, z)
	cases := []daneCase{{"unsigned.test", "dane", "unsigned.test:27201"}}
	realStatus, realOther := runDANE(t, pki, cases, nil)
	ourStatus, ourOther := runDANE(t, pki, cases, map[string]string{"smtp": os.Getenv("SMTPCLIENT_OURS")})
	if realStatus["user@unsigned.test"] != ourStatus["user@unsigned.test"] {
		t.Errorf("status:\nreal: %s\nours: %s", realStatus["user@unsigned.test"], ourStatus["user@unsigned.test"])
	}
	if !strings.Contains(strings.Join(realOther, "\n"), "DNSSEC validation may be unavailable") {
		t.Errorf("the real smtp did not warn:\n%s", strings.Join(realOther, "\n"))
	}
	if d := diffLines(realOther, ourOther); d != "" {
		t.Errorf("log lines differ:\n%s", d)
	}
}

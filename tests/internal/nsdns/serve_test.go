package nsdns

import (
	"testing"
	"time"

	mdns "github.com/miekg/dns"

	"gopostfix/libglobal/dns/dnstest"
)

// TestHandler asks the handler over loopback (port 34011) and checks
// the answer kinds the black-box tests rely on.
func TestHandler(t *testing.T) {
	rrs, err := parseRecords("bl.test. 300 IN SOA ns.bl.test. admin.bl.test. 1 2 3 4 5\n\n" +
		"2.0.0.127.bl.test. 120 IN A 127.0.0.2\n2.0.0.127.bl.test. 60 IN A 127.0.0.4\n" +
		"text.example. 60 IN TXT \"x\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseRecords("bad record\n"); err == nil {
		t.Error("a bad record was accepted")
	}
	dnstest.Serve(t, "127.0.0.1:34011", handler(rrs))
	c := &mdns.Client{Timeout: 2 * time.Second}
	tests := []struct {
		name          string
		qtype         uint16
		rcode, answer int
		soa           bool
	}{
		{"2.0.0.127.BL.test.", mdns.TypeA, mdns.RcodeSuccess, 2, false},
		{"2.0.0.127.bl.test.", mdns.TypeMX, mdns.RcodeSuccess, 0, true},
		{"3.0.0.127.bl.test.", mdns.TypeA, mdns.RcodeNameError, 0, true},
		{"text.example.", mdns.TypeA, mdns.RcodeSuccess, 0, false},
		{"other.example.", mdns.TypeA, mdns.RcodeNameError, 0, false},
		{"x.servfail.test.", mdns.TypeA, mdns.RcodeServerFailure, 0, false},
	}
	for _, tc := range tests {
		m := new(mdns.Msg)
		m.SetQuestion(tc.name, tc.qtype)
		r, _, err := c.Exchange(m, "127.0.0.1:34011")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if r.Rcode != tc.rcode || len(r.Answer) != tc.answer || (len(r.Ns) > 0) != tc.soa {
			t.Errorf("%s %s: rcode %d, %d answers, %d authority; want %d, %d, SOA %v",
				tc.name, mdns.TypeToString[tc.qtype], r.Rcode, len(r.Answer), len(r.Ns), tc.rcode, tc.answer, tc.soa)
		}
	}
}

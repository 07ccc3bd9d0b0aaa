package dns

import (
	"testing"
	"time"

	mdns "github.com/miekg/dns"

	"gopostfix/libglobal/dns/dnstest"
)

// TestLookupNCache checks that negative answers carry the authority
// section's SOA TTL (DNS_REQ_FLAG_NCACHE_TTL) and positive ones do not.
func TestLookupNCache(t *testing.T) {
	h := mdns.HandlerFunc(func(w mdns.ResponseWriter, r *mdns.Msg) {
		m := new(mdns.Msg)
		m.SetReply(r)
		soa, _ := mdns.NewRR("bl.test. 321 IN SOA ns.bl.test. admin.bl.test. 1 2 3 4 5")
		switch r.Question[0].Name {
		case "2.0.0.127.bl.test.":
			a, _ := mdns.NewRR("2.0.0.127.bl.test. 99 IN A 127.0.0.2")
			m.Answer = append(m.Answer, a)
		case "nodata.bl.test.":
			m.Ns = append(m.Ns, soa)
		case "nosoa.bl.test.":
			m.Rcode = mdns.RcodeNameError
		default:
			m.Rcode = mdns.RcodeNameError
			m.Ns = append(m.Ns, soa)
		}
		w.WriteMsg(m)
	})
	dnstest.Serve(t, "127.0.0.1:30953", h)
	r := &Resolver{Servers: []string{"127.0.0.1:30953"}, Timeout: 2 * time.Second, Retries: 1}
	tests := []struct {
		name   string
		status XStatus
		recs   int
		ttl    uint32
	}{
		{"2.0.0.127.bl.test", XOK, 1, 99},
		{"3.0.0.127.bl.test", XNotFound, 1, 321},
		{"nodata.bl.test", XNotFound, 1, 321},
		{"nosoa.bl.test", XNotFound, 0, 0},
	}
	for _, tc := range tests {
		res := r.LookupNCache(tc.name, TypeA)
		if res.Status != tc.status || len(res.Records) != tc.recs {
			t.Errorf("%s: %+v", tc.name, res)
			continue
		}
		if tc.recs > 0 && res.Records[0].TTL != tc.ttl {
			t.Errorf("%s: ttl %d, want %d", tc.name, res.Records[0].TTL, tc.ttl)
		}
	}
	if res := r.LookupX("3.0.0.127.bl.test", TypeA, false); len(res.Records) != 0 {
		t.Errorf("LookupX returned negative-cache records: %+v", res)
	}
}

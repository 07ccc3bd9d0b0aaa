package main

import (
	"strings"
	"testing"
	"time"

	mdns "github.com/miekg/dns"

	"gopostfix/libglobal/dns"
	"gopostfix/libglobal/dns/dnstest"
	"gopostfix/libglobal/util/msg"
)

// zone answers the test queries: listed clients with one or two A
// records, a negative answer with an SOA record, one without, and a
// server failure.
func zone(t *testing.T, addr string) {
	h := mdns.HandlerFunc(func(w mdns.ResponseWriter, r *mdns.Msg) {
		m := new(mdns.Msg)
		m.SetReply(r)
		name := r.Question[0].Name
		add := func(s string) {
			rr, err := mdns.NewRR(s)
			if err != nil {
				t.Error(err)
			}
			m.Answer = append(m.Answer, rr)
		}
		switch name {
		case "2.0.0.127.bl.test.":
			add(name + " 300 IN A 127.0.0.2")
		case "3.0.0.127.bl.test.":
			add(name + " 300 IN A 127.0.0.4")
			add(name + " 120 IN A 127.0.0.10")
		case "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test.":
			add(name + " 77 IN A 127.0.0.3")
		case "4.0.0.127.bl.test.":
			m.Rcode = mdns.RcodeServerFailure
		case "5.0.0.127.nosoa.test.":
			m.Rcode = mdns.RcodeNameError
		default:
			m.Rcode = mdns.RcodeNameError
			soa, _ := mdns.NewRR("bl.test. 900 IN SOA ns.bl.test. admin.bl.test. 1 2 3 4 60")
			m.Ns = append(m.Ns, soa)
		}
		w.WriteMsg(m)
	})
	dnstest.Serve(t, addr, h)
}

func TestQuery(t *testing.T) {
	zone(t, "127.0.0.1:30955")
	tests := []struct {
		domain, addr string
		addrs        string
		ttl          int
		log          string
	}{
		{"bl.test", "127.0.0.2", "127.0.0.2", 300, "addr 127.0.0.2 listed by domain bl.test as 127.0.0.2"},
		{"bl.test", "127.0.0.3", "127.0.0.4 127.0.0.10", 120, "addr 127.0.0.3 listed by domain bl.test as 127.0.0.10"},
		{"bl.test", "2001:db8::1", "127.0.0.3", 77, "listed by domain bl.test as 127.0.0.3"},
		{"bl.test", "127.0.0.9", "", 900, ""},
		{"nosoa.test", "127.0.0.5", "", -1, ""},
		{"bl.test", "127.0.0.4", "", -1, "warning: dnsblog_query: lookup error for DNS query 4.0.0.127.bl.test: " +
			"Host or domain name not found. Name service error for name=4.0.0.127.bl.test type=A: Host not found, try again"},
	}
	for _, tc := range tests {
		var cap msg.Capture
		l := &logger{ipv6: true, log: msg.New(&cap), resolver: &dns.Resolver{Servers: []string{"127.0.0.1:30955"},
			Timeout: time.Second, Retries: 1}}
		addrs, ttl := l.query(tc.domain, tc.addr)
		if addrs != tc.addrs || ttl != tc.ttl {
			t.Errorf("%s %s: %q %d, want %q %d", tc.domain, tc.addr, addrs, ttl, tc.addrs, tc.ttl)
		}
		if got := cap.String(); tc.log == "" && got != "" || !strings.Contains(got, tc.log) {
			t.Errorf("%s %s: log %q, want %q", tc.domain, tc.addr, got, tc.log)
		}
	}
}

func TestReversed(t *testing.T) {
	tests := []struct{ in, want string }{
		{"127.0.0.2", "2.0.0.127."},
		{"192.0.2.10", "10.2.0.192."},
		{"2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."},
		{"junk", "junk."},
	}
	for _, tc := range tests {
		if got := reversed(tc.in); got != tc.want {
			t.Errorf("reversed(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

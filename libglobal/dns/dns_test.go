package dns

import (
	"testing"
	"time"

	mdns "github.com/miekg/dns"

	"gopostfix/libglobal/dns/dnstest"
)

// zone is the test server's data: name -> records in zone-file form.
var zone = map[string][]string{
	"a.example.":         {"a.example. 60 IN A 192.0.2.1"},
	"mx.example.":        {"mx.example. 60 IN MX 10 mail.mx.example."},
	"null.example.":      {"null.example. 60 IN MX 0 ."},
	"2.0.0.127.bl.test.": {"2.0.0.127.bl.test. 300 IN A 127.0.0.2", "2.0.0.127.bl.test. 300 IN TXT \"listed\" \" here\""},
	"servfail.example.":  nil,
	"cname.example.":     {"cname.example. 60 IN CNAME a.example.", "a.example. 60 IN A 192.0.2.1"},
}

func serve(t *testing.T, addr string) {
	t.Helper()
	h := mdns.HandlerFunc(func(w mdns.ResponseWriter, r *mdns.Msg) {
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
			rr, err := mdns.NewRR(s)
			if err != nil {
				t.Error(err)
				continue
			}
			if rr.Header().Rrtype == q.Qtype || rr.Header().Rrtype == mdns.TypeCNAME {
				m.Answer = append(m.Answer, rr)
			}
		}
		w.WriteMsg(m)
	})
	dnstest.Serve(t, addr, h)
}

func TestLookup(t *testing.T) {
	serve(t, "127.0.0.1:23051")
	r := &Resolver{Servers: []string{"127.0.0.1:23051"}, Timeout: 2 * time.Second, Retries: 1}
	tests := []struct {
		name  string
		qtype uint16
		want  Status
		data  string
	}{
		{"a.example", TypeA, OK, "192.0.2.1"},
		{"a.example", TypeMX, NotFound, ""},
		{"mx.example", TypeMX, OK, "mail.mx.example"},
		{"null.example", TypeMX, NullMX, ""},
		{"nx.example", TypeA, NotFound, ""},
		{"servfail.example", TypeA, TempFail, ""},
		{"cname.example", TypeA, OK, "192.0.2.1"},
		{"2.0.0.127.bl.test", TypeTXT, OK, "listed here"},
	}
	for _, tc := range tests {
		st, recs, _ := r.Lookup(tc.name, tc.qtype)
		if st != tc.want {
			t.Errorf("%s/%d: status %v, want %v", tc.name, tc.qtype, st, tc.want)
			continue
		}
		if tc.data != "" && (len(recs) == 0 || recs[0].Data != tc.data) {
			t.Errorf("%s/%d: records %+v, want %s", tc.name, tc.qtype, recs, tc.data)
		}
	}
	if st, _ := r.Any("a.example", TypeMX, TypeA); st != OK {
		t.Errorf("Any(a.example MX,A) = %v", st)
	}
	if st, _ := r.Any("servfail.example", TypeMX, TypeA); st != TempFail {
		t.Errorf("Any(servfail) = %v", st)
	}
	dead := &Resolver{Servers: []string{"127.0.0.1:23052"}, Timeout: 200 * time.Millisecond, Retries: 1}
	if st, _, _ := dead.Lookup("a.example", TypeA); st != TempFail {
		t.Errorf("dead server: %v", st)
	}
}

func TestReverseIP(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.2":   "2.0.0.127",
		"192.0.2.10":  "10.2.0.192",
		"2001:db8::1": "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2",
	} {
		got, err := ReverseIP(in)
		if err != nil || got != want {
			t.Errorf("ReverseIP(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ReverseIP("nope"); err == nil {
		t.Error("ReverseIP(nope): no error")
	}
}

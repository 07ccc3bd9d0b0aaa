package dnstest

import (
	"testing"
	"time"

	mdns "github.com/miekg/dns"
)

// TestServe asks the server once over loopback (port 34012).
func TestServe(t *testing.T) {
	Serve(t, "127.0.0.1:34012", mdns.HandlerFunc(func(w mdns.ResponseWriter, r *mdns.Msg) {
		m := new(mdns.Msg)
		m.SetReply(r)
		rr, _ := mdns.NewRR(r.Question[0].Name + " 60 IN A 192.0.2.9")
		m.Answer = append(m.Answer, rr)
		w.WriteMsg(m)
	}))
	q := new(mdns.Msg)
	q.SetQuestion("x.example.", mdns.TypeA)
	r, _, err := (&mdns.Client{Timeout: 2 * time.Second}).Exchange(q, "127.0.0.1:34012")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Answer) != 1 || r.Answer[0].(*mdns.A).A.String() != "192.0.2.9" {
		t.Errorf("answer %v", r.Answer)
	}
}

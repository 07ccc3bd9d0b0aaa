package dns

import (
	"testing"
	"time"
)

func TestLookupX(t *testing.T) {
	serve(t, "127.0.0.1:23053")
	r := &Resolver{Servers: []string{"127.0.0.1:23053"}, Timeout: 2 * time.Second, Retries: 1}
	tests := []struct {
		name  string
		qtype uint16
		want  XStatus
		why   string
	}{
		{"a.example", TypeA, XOK, ""},
		{"nx.example", TypeA, XNotFound, "Host or domain name not found. Name service error for name=nx.example type=A: Host not found"},
		{"servfail.example", TypeMX, XRetry, "Host or domain name not found. Name service error for name=servfail.example type=MX: Host not found, try again"},
		{"null.example", TypeMX, XNullMX, "Domain null.example does not accept mail (nullMX)"},
		{"a.example", TypeMX, XNotFound, "Host or domain name not found. Name service error for name=a.example type=MX: Host found but no data record of requested type"},
		{"bad..name", TypeA, XNotFound, "Name service error for bad..name: invalid host or domain name"},
		{"192.0.2.1", TypeA, XNotFound, "Name service error for 192.0.2.1: invalid host or domain name"},
	}
	for _, tc := range tests {
		res := r.LookupX(tc.name, tc.qtype, false)
		if res.Status != tc.want || res.Why != tc.why {
			t.Errorf("%s/%d: %v %q, want %v %q", tc.name, tc.qtype, res.Status, res.Why, tc.want, tc.why)
		}
	}
	if res := r.LookupXV("a.example", false, TypeA, TypeAAAA); res.Status != XOK || len(res.Records) != 1 {
		t.Errorf("LookupXV: %+v", res)
	}
}

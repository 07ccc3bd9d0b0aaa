package dns

import (
	"errors"
	"strings"
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

func TestLookupXFilter(t *testing.T) {
	serve(t, "127.0.0.1:27901")
	r := &Resolver{Servers: []string{"127.0.0.1:27901"}, Timeout: 2 * time.Second, Retries: 1}
	errBad := errors.New("bad action")
	tests := []struct {
		name   string
		qtype  uint16
		filter RRFilter
		want   XStatus
		why    string
		seen   string
	}{
		{"mx.example", TypeMX, func(string) (bool, error) { return false, nil }, XOK, "", "mx.example. 60 IN MX 10 mail.mx.example."},
		{"mx.example", TypeMX, func(string) (bool, error) { return true, nil }, XPolicy,
			"Error looking up name=mx.example type=MX: DNS reply filter drops all results", "mx.example. 60 IN MX 10 mail.mx.example."},
		{"a.example", TypeA, func(string) (bool, error) { return false, errBad }, XRetry,
			"Error looking up name=a.example type=A: Invalid DNS reply filter syntax", "a.example. 60 IN A 192.0.2.1"},
		{"null.example", TypeMX, func(string) (bool, error) { return true, nil }, XNullMX, "Domain null.example does not accept mail (nullMX)", ""},
		{"cname.example", TypeA, func(string) (bool, error) { return false, nil }, XOK, "", "a.example. 60 IN A 192.0.2.1"},
	}
	for _, tc := range tests {
		var seen []string
		f := func(rr string) (bool, error) { seen = append(seen, rr); return tc.filter(rr) }
		res := r.LookupXF(tc.name, tc.qtype, false, f)
		if res.Status != tc.want || res.Why != tc.why {
			t.Errorf("%s/%d: %v %q, want %v %q", tc.name, tc.qtype, res.Status, res.Why, tc.want, tc.why)
		}
		if strings.Join(seen, "|") != tc.seen {
			t.Errorf("%s/%d: filter saw %q, want %q", tc.name, tc.qtype, seen, tc.seen)
		}
	}
	res := r.LookupXVF("a.example", false, func(string) (bool, error) { return true, nil }, TypeA, TypeAAAA)
	if res.Status != XPolicy {
		t.Errorf("LookupXVF: %+v", res)
	}
}

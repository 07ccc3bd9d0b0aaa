package postscreen

import (
	"bytes"
	"net"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/postscreen"
	"gopostfix/libglobal/util/attr"
	"gopostfix/tests/internal/instance"
)

// dnsblogQueries are sent straight to private/dnsblog, as postscreen
// sends them; raw requests are sent as they are.
var dnsblogQueries = []struct {
	name string
	q    postscreen.Query
	raw  string
}{
	{name: "listed", q: postscreen.Query{Domain: "bl1.test", Client: "127.0.0.4", Label: 1}},
	{name: "two records", q: postscreen.Query{Domain: "bl2.test", Client: "127.0.0.33", Label: 2}},
	{name: "not listed, SOA TTL", q: postscreen.Query{Domain: "bl2.test", Client: "127.0.0.99", Label: 3}},
	{name: "no SOA", q: postscreen.Query{Domain: "nosoa.example", Client: "127.0.0.4", Label: 4}},
	{name: "server failure", q: postscreen.Query{Domain: "servfail.test", Client: "127.0.0.4", Label: 5}},
	{name: "IPv6 client", q: postscreen.Query{Domain: "bl1.test", Client: "2001:db8::1", Label: 6}},
	{name: "no label", raw: "rbl_domain\x00bl1.test\x00client_address\x00127.0.0.4\x00\x00"},
	{name: "extra attribute", raw: "junk\x00x\x00rbl_domain\x00bl1.test\x00client_address\x00127.0.0.4\x00label\x001\x00\x00"},
}

// askDNSBLog sends one request and returns the raw reply.
func askDNSBLog(t *testing.T, in *instance.Instance, q postscreen.Query, raw string) []byte {
	t.Helper()
	c, err := net.DialTimeout("unix", in.Path("queue/private/dnsblog"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(15 * time.Second))
	if raw != "" {
		c.Write([]byte(raw))
	} else if err := attr.NewWriter(c, attr.Format0).Print(q.Attrs()...); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(c)
	return buf.Bytes()
}

// TestDNSBLog compares our dnsblog's replies and log lines with the real
// one's, request by request, with IPv6 off (where the real one gives up
// on an IPv6 client) and on.
func TestDNSBLog(t *testing.T) {
	requireDNS(t)
	for i, mainCF := range []string{"", "inet_protocols = all\n"} {
		t.Run(strings.TrimSpace(mainCF), func(t *testing.T) {
			compareDNSBLogs(t, newInstance(t, allReal, 30190+2*i, mainCF), newInstance(t, ourDNSBLog, 30191+2*i, mainCF))
		})
	}
}

func compareDNSBLogs(t *testing.T, real, mine *instance.Instance) {
	for _, tc := range dnsblogQueries {
		want := askDNSBLog(t, real, tc.q, tc.raw)
		got := askDNSBLog(t, mine, tc.q, tc.raw)
		if !bytes.Equal(want, got) {
			t.Errorf("%s: reply %q, real %q", tc.name, got, want)
		}
	}
	logs := func(in *instance.Instance) []string {
		var out []string
		for _, l := range in.LogLines("postfix/dnsblog[") {
			if strings.Contains(l, "overriding earlier entry") {
				continue // logged by each new process; how many start depends on timing
			}
			l = in.Mask(l)
			out = append(out, l[strings.Index(l, "postfix/"):])
		}
		return out
	}
	// Either side may still be writing its last lines: wait (bounded) until
	// both logs have the same length, so a slow side is not cut short.
	instance.WaitFor(10*time.Second, func() bool { return len(logs(mine)) == len(logs(real)) && len(logs(real)) > 0 })
	diffLines(t, "dnsblog log", logs(real), logs(mine))
}

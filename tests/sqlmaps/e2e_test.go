package sqlmaps

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// e2eMain makes example.org a virtual alias domain whose addresses come
// from the database, both tables read through proxymap: the domains in
// the main.cf form (vdomains_* parameters, added by the test), the
// aliases in the file form.
const e2eMain = `virtual_alias_domains = proxy:mysql:vdomains
virtual_alias_maps = proxy:mysql:@ROOT@/etc/valias.cf
`

const e2eMessage = "From: sender@localhost\nTo: info@example.org\nSubject: sql e2e\n\nhello through mysql\n"

// delivered matches the local delivery of the aliased message.
var delivered = regexp.MustCompile(`local\[\d+\]: \w+: to=<root@localhost>, orig_to=<info@example.org>, .*status=sent`)

// TestVirtualAliasThroughProxymap delivers one message to an address
// that virtual_alias_domains and virtual_alias_maps, both proxy:mysql:
// tables, turn into a local one: first with the real programs, then with
// our proxymap, trivial-rewrite and cleanup.
func TestVirtualAliasThroughProxymap(t *testing.T) {
	s := need(t)
	login := strings.ReplaceAll(login, "@SOCK@", s.socket)
	files := instance.InEtc(map[string]string{
		"valias.cf": login + "query = SELECT dest FROM aliases WHERE source='%s'\n",
	})
	var prefixed strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(login+"query = SELECT domain FROM domains WHERE domain='%s'"), "\n") {
		prefixed.WriteString("vdomains_" + l + "\n")
	}
	for _, c := range []struct {
		name string
		ours map[string]string
	}{
		{"real", nil},
		{"ours", ours.Map(t, "proxymap", "trivial-rewrite", "cleanup")},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := instance.Local(e2eMain+prefixed.String(), files, c.ours)
			opts.Master = instance.MasterCF + "proxymap  unix  -       -       n       -       -       proxymap\n"
			in := instance.New(t, opts)
			in.Send(e2eMessage, "-f", "sender@localhost", "info@example.org")
			if !in.WaitMailbox(60*time.Second, "root", "hello through mysql") {
				t.Fatalf("not delivered:\n%s", in.Maillog())
			}
			if !in.WaitLogMatch(10*time.Second, delivered) {
				t.Errorf("no delivery line:\n%s", in.Maillog())
			}
			for _, bad := range []string{"warning:", "fatal:", "panic:"} {
				if strings.Contains(in.Maillog(), bad) {
					t.Errorf("%s in the log:\n%s", bad, in.Maillog())
				}
			}
		})
	}
}

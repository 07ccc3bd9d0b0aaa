package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/util/msg"
)

func TestAccessList(t *testing.T) {
	cidr := filepath.Join(t.TempDir(), "acl.cidr")
	os.WriteFile(cidr, []byte("192.0.2.1 reject\n192.0.2.2 permit\n192.0.2.3 dunno\n192.0.2.4 permit_mynetworks reject\n192.0.2.5 bogus\n192.0.2.6 cidr:/x\n"), 0644)
	tests := []struct {
		list, addr string
		want       int
		warn       string
	}{
		{"permit_mynetworks", "127.0.0.1", aclPermit, ""},
		{"permit_mynetworks", "192.0.2.9", aclDunno, ""},
		{"permit_mynetworks, cidr:" + cidr, "192.0.2.1", aclReject, ""},
		{"cidr:" + cidr + ", reject", "192.0.2.2", aclPermit, ""},
		{"cidr:" + cidr + ", reject", "192.0.2.3", aclReject, ""},
		{"cidr:" + cidr, "192.0.2.4", aclReject, ""},
		{"cidr:" + cidr + ", permit", "192.0.2.5", aclError, "cidr:" + cidr + ": unknown command: bogus -- ignoring the remainder of this access list"},
		{"cidr:" + cidr, "192.0.2.6", aclDunno, "table cidr:" + cidr + ": lookup result \"cidr:/x\" is not allowed -- ignoring remainder of access list"},
		{"Dunno, permit", "192.0.2.9", aclDunno, ""},
		{"whatever", "192.0.2.9", aclError, "postscreen_access_list: unknown command: whatever -- ignoring the remainder of this access list"},
	}
	for _, tc := range tests {
		var cap msg.Capture
		log := msg.New(&cap)
		a, err := newAccessList(maptypes.NewRegistry(log), "postscreen_access_list", tc.list, "127.0.0.0/8", log)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.eval(tc.addr); got != tc.want {
			t.Errorf("%q %s: %d, want %d", tc.list, tc.addr, got, tc.want)
		}
		if tc.warn != "" && !strings.Contains(cap.String(), tc.warn) {
			t.Errorf("%q %s: log %q, want %q", tc.list, tc.addr, cap.String(), tc.warn)
		}
	}
}

func TestParseDNSBLSites(t *testing.T) {
	tests := []struct{ sites, err string }{
		{"bl.test, bl.test=127.0.0.[2..4]*3 wl.test*-2", ""},
		{"bl.test*x", `bad DNSBL weight factor "x" in "bl.test*x"`},
		{"bl.test=127.0.0.300", `bad DNSBL filter syntax: need decimal number 0..255 or "[" at "127.0.0.>300<"`},
		{"bl..test", `bad DNSBL domain name "bl..test" in "bl..test"`},
	}
	for _, tc := range tests {
		d, err := parseDNSBLSites(tc.sites, nil)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.err {
			t.Errorf("%q: %q, want %q", tc.sites, got, tc.err)
		}
		if err == nil && (len(d.order) != 2 || len(d.byName["bl.test"].sites) != 2 || d.byName["bl.test"].sites[0].weight != 3) {
			t.Errorf("%q: parsed as %+v", tc.sites, d.order)
		}
	}
}

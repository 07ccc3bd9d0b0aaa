package main

import (
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestHostsFile(t *testing.T) {
	dir := t.TempDir()
	hosts := filepath.Join(dir, "hosts")
	os.WriteFile(hosts, []byte("# comment\n127.0.0.1 localhost\n127.0.0.1 other\n"+
		"192.0.2.7\tmail.example.org mail # trailing\n::1 localhost ip6-localhost\nbogus line\n"), 0o644)
	nss := func(line string) string {
		p := filepath.Join(dir, "nss-"+line[:3])
		os.WriteFile(p, []byte("passwd: files\nhosts: "+line+"\n"), 0o644)
		return p
	}
	if h := newHostsFile(hosts, nss("dns files")); h != nil {
		t.Errorf("hosts: dns files: got a hosts file, want the resolver only")
	}
	if h := newHostsFile(hosts, filepath.Join(dir, "missing")); h != nil {
		t.Errorf("no nsswitch.conf: got a hosts file")
	}
	h := newHostsFile(hosts, nss("files dns"))
	if h == nil {
		t.Fatal("hosts: files dns: no hosts file")
	}
	names := []struct {
		addr, name string
		ok         bool
	}{
		{"127.0.0.1", "localhost", true},
		{"192.0.2.7", "mail.example.org", true},
		{"::ffff:192.0.2.7", "mail.example.org", true},
		{"::1", "localhost", true},
		{"192.0.2.8", "", false},
	}
	for _, tc := range names {
		name, ok := h.name(netip.MustParseAddr(tc.addr))
		if name != tc.name || ok != tc.ok {
			t.Errorf("name(%s) = %q, %v; want %q, %v", tc.addr, name, ok, tc.name, tc.ok)
		}
	}
	addrs := []struct {
		name string
		want []string
	}{
		{"localhost", []string{"127.0.0.1", "::1"}},
		{"MAIL.example.org.", []string{"192.0.2.7"}},
		{"nowhere", nil},
	}
	for _, tc := range addrs {
		var got []string
		for _, a := range h.addrs(tc.name) {
			got = append(got, a.String())
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("addrs(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
	var none *hostsFile
	if _, ok := none.name(netip.MustParseAddr("127.0.0.1")); ok || none.addrs("localhost") != nil {
		t.Errorf("a nil hosts file answered")
	}
}

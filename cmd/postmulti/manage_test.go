package main

import "testing"

func TestPrivatePath(t *testing.T) {
	name := "postfix-a"
	p := &pm{}
	cases := []struct{ primary, want string }{
		{"/etc/postfix", "/etc/postfix-a"},
		{"/etc/postfix/", "/etc/postfix/postfix-a"},
		{"/etc//", "/etc/postfix-a"},
		{"/var/spool/postfix", "/var/spool/postfix-a"},
		{"/postfix", "/postfix/postfix-a"},
		{"/", "/postfix-a"},
		{"/a//b", "/a/postfix-a"},
	}
	for _, c := range cases {
		if got := p.privatePath("queue_directory", c.primary, &assignment{name: &name}); got != c.want {
			t.Errorf("privatePath(%q) = %q, want %q", c.primary, got, c.want)
		}
	}
}

func TestSelection(t *testing.T) {
	p := &pm{}
	prim := &instance{configDir: "/etc/postfix", primary: true}
	sec := &instance{configDir: "/etc/postfix-out", name: "postfix-out", group: "mta"}
	cases := []struct {
		ip   *instance
		sel  selection
		want bool
	}{
		{prim, selection{selName, "-"}, true},
		{prim, selection{selName, "/etc/postfix"}, true},
		{prim, selection{selName, "postfix"}, false},
		{sec, selection{selName, "out"}, true},
		{sec, selection{selName, "postfix-out"}, true},
		{sec, selection{selName, "/etc/postfix-out"}, true},
		{sec, selection{selName, "-"}, false},
		{sec, selection{selGroup, "mta"}, true},
		{prim, selection{selGroup, ""}, false},
		{prim, selection{selAll, ""}, true},
		{prim, selection{selNone, ""}, false},
	}
	for _, c := range cases {
		if got := p.matches(c.ip, &c.sel); got != c.want {
			t.Errorf("matches(%s, %+v) = %v", c.ip.configDir, c.sel, got)
		}
	}
}

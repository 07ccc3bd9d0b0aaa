package maps

import (
	"reflect"
	"testing"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// The cases below are those of the spec (config-and-maps.md 4.10).

func TestParentKeys(t *testing.T) {
	tests := []struct {
		name  string
		style DomainStyle
		want  []string
	}{
		{"a.b.example.com", ParentStyle, []string{"b.example.com", "example.com", "com"}},
		{"a.b.example.com", DotStyle, []string{".b.example.com", ".example.com", ".com"}},
		{"example", ParentStyle, nil},
		{"example", DotStyle, nil},
	}
	for _, tc := range tests {
		if got := ParentKeys(tc.name, tc.style); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParentKeys(%q, %d) = %q, want %q", tc.name, tc.style, got, tc.want)
		}
	}
}

func TestAddrKeys(t *testing.T) {
	tests := []struct {
		addr string
		want []string
	}{
		{"1.2.3.4", []string{"1.2.3.4", "1.2.3", "1.2", "1"}},
		{"2001:db8::1", []string{"2001:db8::1", "2001:db8:", "2001:db8", "2001"}},
	}
	for _, tc := range tests {
		if got := AddrKeys(tc.addr); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("AddrKeys(%q) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

func openMaps(t *testing.T, specs string) *Maps {
	t.Helper()
	m, err := Open(registry(), "smtpd_access_maps", specs, dict.FlagDefault, msg.Discard())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFindDomain(t *testing.T) {
	m := openMaps(t, "cidr:{{10.0.0.0/8 CIDR}}, inline:{example.com=PARENT, .example.org=DOT, EXACT.example.net=EXACT, 10.1.2.3=LITERAL}")
	tests := []struct {
		name  string
		style DomainStyle
		hit   Hit
		found bool
	}{
		{"a.b.example.com", ParentStyle, Hit{"PARENT", "example.com"}, true},
		{"a.b.example.com", DotStyle, Hit{}, false},
		{"x.example.org", DotStyle, Hit{"DOT", ".example.org"}, true},
		{"x.example.org", ParentStyle, Hit{}, false},
		{"Exact.Example.NET", ParentStyle, Hit{"EXACT", "Exact.Example.NET"}, true},
		{"example.com.", ParentStyle, Hit{"PARENT", "example.com"}, true},
		// An IP literal gets the full lookup only; a cidr table sees it.
		{"10.9.9.9", ParentStyle, Hit{"CIDR", "10.9.9.9"}, true},
		{"10.1.2.3", ParentStyle, Hit{"CIDR", "10.1.2.3"}, true},
	}
	for _, tc := range tests {
		hit, found, err := m.FindDomain(tc.name, tc.style)
		if err != nil || found != tc.found || hit != tc.hit {
			t.Errorf("FindDomain(%q, %d) = %+v %v %v, want %+v %v", tc.name, tc.style, hit, found, err, tc.hit, tc.found)
		}
	}
}

func TestFindAddr(t *testing.T) {
	reg := registry()
	var asked []string
	reg.Register("pattern", func(req dict.OpenRequest) (dict.Dict, error) {
		d := &probeDict{asked: &asked}
		d.Init(req, dict.FlagPattern)
		return d, nil
	})
	m, err := Open(reg, "smtpd_access_maps", "inline:{1.2.3.4=HOST, 1.2=NET16, 2001:db8:=V6}, cidr:{{5.0.0.0/8 CIDR}}, pattern:x", dict.FlagDefault, msg.Discard())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr  string
		hit   Hit
		found bool
	}{
		{"1.2.3.4", Hit{"HOST", "1.2.3.4"}, true},
		{"1.2.9.9", Hit{"NET16", "1.2"}, true},
		{"5.6.7.8", Hit{"CIDR", "5.6.7.8"}, true},
		{"2001:db8::1", Hit{"V6", "2001:db8:"}, true},
		{"7.7.7.7", Hit{}, false},
	}
	for _, tc := range tests {
		hit, found, err := m.FindAddr(tc.addr)
		if err != nil || found != tc.found || hit != tc.hit {
			t.Errorf("FindAddr(%q) = %+v %v %v, want %+v %v", tc.addr, hit, found, err, tc.hit, tc.found)
		}
	}
	// The pattern table saw full addresses only, never a prefix.
	want := []string{"1.2.9.9", "2001:db8::1", "7.7.7.7"}
	if !reflect.DeepEqual(asked, want) {
		t.Errorf("pattern table asked %q, want %q", asked, want)
	}
}

// TestAccessAddressOrder checks the check_*_access strategy for addresses
// (full, without extension, domain with parents, localpart@) against a
// table that logs which keys were asked for.
func TestAccessAddressOrder(t *testing.T) {
	reg := registry()
	var asked []string
	reg.Register("probe", func(req dict.OpenRequest) (dict.Dict, error) {
		d := &probeDict{asked: &asked}
		d.Init(req, dict.FlagFixed)
		return d, nil
	})
	m, err := Open(reg, "smtpd_access_maps", "probe:x", dict.FlagDefault, msg.Discard())
	if err != nil {
		t.Fatal(err)
	}
	env := &AddrEnv{Delim: "+", IsLocal: func(string) (bool, error) { return false, nil }}
	m.MailAddrFind(env, "user+ext@a.example.com", FindFull|FindNoExt|FindDomain|FindPDMS|FindLocalpartAt)
	want := []string{"user+ext@a.example.com", "user@a.example.com", "a.example.com", "example.com", "com", "user+ext@", "user@"}
	if !reflect.DeepEqual(asked, want) {
		t.Errorf("keys %q, want %q", asked, want)
	}
	asked = nil
	m.MailAddrFind(env, "user+ext@a.example.com", FindFull|FindNoExt|FindDomain|FindPDDMDS)
	want = []string{"user+ext@a.example.com", "user@a.example.com", "a.example.com", ".example.com", ".com"}
	if !reflect.DeepEqual(asked, want) {
		t.Errorf("transport keys %q, want %q", asked, want)
	}
}

type probeDict struct {
	dict.Base
	asked *[]string
}

func (p *probeDict) Lookup(key string) (string, bool, error) {
	*p.asked = append(*p.asked, key)
	return "", false, nil
}

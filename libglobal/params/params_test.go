package params

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopostfix/libglobal/util/inet"
	"gopostfix/libglobal/util/mac"
)

// defaultsOnly resolves names the way "postconf -d" does: main.cf is not
// read, every name has its built-in default.
type defaultsOnly struct {
	h   *Host
	set map[string]string // settings, for the tests of computed defaults
}

func (d defaultsOnly) Setting(name string) (string, bool, error) {
	v, ok := d.set[name]
	return v, ok, nil
}

func (d defaultsOnly) lookup(name string) (string, bool) {
	if v, ok := d.set[name]; ok {
		return v, true
	}
	p, ok := Lookup(name)
	if !ok {
		return "", false
	}
	if p.Computed {
		v, err := ComputedDefault(name, d.h, d)
		return v, err == nil
	}
	return p.Default, true
}

func (d defaultsOnly) Expand(text string) (string, error) {
	return mac.Expand(text, d.lookup, mac.Options{Recurse: true, Relops: Relops()})
}

// printDefaults formats every parameter as postconf -d does: sorted,
// "name = value" with the value's words joined by single spaces.
func printDefaults(t *testing.T, h *Host) string {
	t.Helper()
	r := defaultsOnly{h: h}
	computed, err := Defaults(h, r)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range All() {
		v := p.Default
		if p.Computed {
			v = computed[p.Name]
		}
		if words := strings.Fields(v); len(words) > 0 {
			fmt.Fprintf(&b, "%s = %s\n", p.Name, strings.Join(words, " "))
		} else {
			fmt.Fprintf(&b, "%s =\n", p.Name)
		}
	}
	return b.String()
}

var pidLine = regexp.MustCompile(`(?m)^process_id = [0-9]+$`)

// TestDefaultsMatchLivePostconf compares the whole table with the real
// "postconf -d" on this machine, in an empty configuration directory (so
// that no master.cf service adds per-service parameters).
func TestDefaultsMatchLivePostconf(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"main.cf", "master.cf"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("/usr/sbin/postconf", "-c", dir, "-d")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("real postconf -d (Postfix 3.7.11 must be installed): %v: %s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("real postconf -d wrote to stderr: %s", stderr.String())
	}
	h, err := LocalHost()
	if err != nil {
		t.Fatal(err)
	}
	h.ProcName = "postconf"
	want := pidLine.ReplaceAllString(string(out), "process_id = PID")
	got := pidLine.ReplaceAllString(printDefaults(t, h), "process_id = PID")
	if got != want {
		t.Errorf("defaults differ from postconf -d:\n%s", lineDiff(want, got))
	}
}

// vmHost is the host the golden postconf -d output was made on.
func vmHost() *Host {
	ifa := func(cidr string) inet.IfAddr {
		p := netip.MustParsePrefix(cidr)
		bitsLen := 32
		if p.Addr().Is6() {
			bitsLen = 128
		}
		return inet.IfAddr{Addr: p.Addr(), Mask: net.CIDRMask(p.Bits(), bitsLen)}
	}
	return &Host{
		Hostname: "vm",
		Addrs: []inet.IfAddr{ifa("127.0.0.1/8"), ifa("::1/128"),
			ifa("192.0.2.2/24"), ifa("fd00::2/64"), ifa("fe80::fc:ff:fe00:1/64")},
		PID:      5243,
		ProcName: "postconf",
	}
}

// TestDefaultsMatchGolden compares with the golden output for every
// built-in name (the golden file also lists per-service parameters of the
// master.cf it was made with).
func TestDefaultsMatchGolden(t *testing.T) {
	golden, err := os.ReadFile("testdata/postconf-d-3.7.11.txt")
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(golden))
	for sc.Scan() {
		name, _, _ := strings.Cut(sc.Text(), " =")
		if _, ok := Lookup(name); ok {
			want.WriteString(sc.Text() + "\n")
		}
	}
	if got := printDefaults(t, vmHost()); got != want.String() {
		t.Errorf("defaults differ from the golden file:\n%s", lineDiff(want.String(), got))
	}
}

// lineDiff lists the lines only in want (-) or only in got (+).
func lineDiff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

func TestLookupAndKinds(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		raw  bool
		unit byte
		min  int64
		max  int64
	}{
		{"smtpd_banner", String, false, 0, 1, 0},
		{"mailbox_command", String, true, 0, 0, 0},
		{"smtpd_timeout", Time, false, 's', 1, 0},
		{"maximal_queue_lifetime", Time, false, 'd', 0, 8640000},
		{"postscreen_dnsbl_max_ttl", Time, false, 'h', 1, 0},
		{"message_size_limit", Size, false, 0, 0, 0},
		{"smtputf8_enable", Bool, false, 0, 0, 0},
		{"unverified_recipient_defer_code", Int, false, 0, 200, 499},
		{"smtpd_hard_error_limit", Int, false, 0, 1, 0},
	}
	for _, tt := range tests {
		p, ok := Lookup(tt.name)
		if !ok {
			t.Errorf("%s: not found", tt.name)
			continue
		}
		if p.Kind != tt.kind || p.Raw != tt.raw || p.Unit != tt.unit || p.Min != tt.min || p.Max != tt.max {
			t.Errorf("%s = %+v", tt.name, *p)
		}
	}
	if _, ok := Lookup("virtual_maps"); ok || !IsLegacy("virtual_maps") {
		t.Error("virtual_maps must be legacy only")
	}
	if p, _ := Lookup("smtpd_banner"); p.Default != "$myhostname ESMTP $mail_name" {
		t.Errorf("smtpd_banner default %q", p.Default)
	}
}

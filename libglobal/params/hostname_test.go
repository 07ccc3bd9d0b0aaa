package params

import (
	"strings"
	"testing"
)

func TestCheckHostname(t *testing.T) {
	long := strings.Repeat("a", 64)
	huge := strings.Repeat("abcdefgh.", 29) + "x"
	tests := map[string]string{
		"vm.localdomain":              "",
		"mail_1.example":              "",
		"a-b.c":                       "",
		"":                            "empty hostname",
		"a..b":                        "misplaced delimiter: a..b",
		"a.":                          "misplaced delimiter: a.",
		".a":                          "misplaced delimiter: .a",
		"-a":                          "misplaced hyphen: -a",
		"a-.b":                        "misplaced hyphen: a-.b",
		"a-":                          "misplaced hyphen: a-",
		"1.2.3.4":                     "numeric hostname: 1.2.3.4",
		"a b":                         "invalid character 32(decimal): a b",
		long + ".example":             "hostname label too long: " + long + ".example",
		huge:                          "bad length 262 for " + huge[:100] + "...",
		"x%y":                         "invalid character 37(decimal): x%y",
		"[192.0.2.1]":                 "invalid character 91(decimal): [192.0.2.1]",
		"host\xff.example":            "invalid character 255(decimal): host\xff.example",
		"123.example.com":             "",
		"a.b-c.d-e-f.gh":              "",
		strings.Repeat("9", 62) + "x": "",
	}
	for in, want := range tests {
		if got := CheckHostname(in); got != want {
			t.Errorf("CheckHostname(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseProtocols(t *testing.T) {
	for in, want := range map[string]string{"all": "ipv4 ipv6", "ipv6, ipv4": "ipv4 ipv6", "ipv6": "ipv6", "": "", " ipv4 ,": "ipv4"} {
		got, err := ParseProtocols(in)
		if err != nil || strings.Join(got, " ") != want {
			t.Errorf("ParseProtocols(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseProtocols("IPv4"); err == nil || err.Error() != `unknown inet_protocols value "IPv4" in "IPv4"` {
		t.Errorf("case: %v", err)
	}
}

package smtpd

import (
	"strings"
	"testing"
)

func TestReplyFooter(t *testing.T) {
	lookup := func(name string) (string, bool) {
		if name == "whatever" {
			return "DUMMY", true
		}
		return "", false
	}
	for _, tc := range []struct {
		reply, template, want string
		ok                    bool
	}{
		{"", "x", "", false},
		{"1234 foo", "x", "1234 foo", false},
		{"12 foo", "x", "12 foo", false},
		{"321 foo\r\n1234 foo", "x", "321 foo\r\n1234 foo", false},
		{"550 Foo", `\c footer`, "550 Foo footer", true},
		{"550 Foo", "Bar", "550-Foo\r\n550 Bar", true},
		{"550-Foo\r\n550 Bar", "Baz", "550-Foo\r\n550-Bar\r\n550 Baz", true},
		{"550 5.1.1 Foo", "Bar", "550-5.1.1 Foo\r\n550 5.1.1 Bar", true},
		{"550-5.1.1 Foo\r\n450 4.1.1 Bar", "Baz", "550-5.1.1 Foo\r\n450-4.1.1 Bar\r\n450 4.1.1 Baz", true},
		{"550 5.1.1 Foo", `One\nTwo`, "550-5.1.1 Foo\r\n550-5.1.1 One\r\n550 5.1.1 Two", true},
		{"550 5.1.1 Foo", `\cOne\nTwo`, "550-5.1.1 FooOne\r\n550 5.1.1 Two", true},
		{"220 myhostname", `\c ${whatever`, "220 myhostname", false},
		{"220 myhostname\r\n", `\c ${whatever`, "220 myhostname\r\n", false},
		{"220 myhostname", `\c $whatever`, "220 myhostname DUMMY", true},
		{"220 myhostname\r\n", `\c $whatever`, "220 myhostname DUMMY\r\n", true},
		{"220 myhostname", `\c [$unknown]`, "220 myhostname []", true},
	} {
		got, ok := replyFooter(tc.reply, tc.template, "", lookup, nil)
		if got != tc.want || ok != tc.ok {
			t.Errorf("replyFooter(%q, %q) = %q, %v; want %q, %v", tc.reply, tc.template, got, ok, tc.want, tc.ok)
		}
	}
}

func TestReplyFooterFilter(t *testing.T) {
	lookup := func(string) (string, bool) { return "a\tb<c>", true }
	got, _ := replyFooter("550 x", `\c $v`, "abc", lookup, nil)
	if got != "550 x a_b_c_" {
		t.Errorf("filtered footer: %q", got)
	}
}

func TestExpansionFilter(t *testing.T) {
	for in, want := range map[string]string{
		`\t\40!a`:       "\t !a",
		`\\[\]`:         `\[]`,
		`\101\1010`:     "AA0",
		`x\`:            "x",
		`0123456789\0.`: "0123456789",
		`\000`:          "",
	} {
		if got := expansionFilter(in); got != want {
			t.Errorf("expansionFilter(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestExpansionFilterNUL checks a filter cut by \0 in a reject footer
// against the real smtpd 3.7.11, whose replies were (delay_reject off,
// client localhost[127.0.0.1]): the '.' after the NUL is not allowed.
func TestExpansionFilterNUL(t *testing.T) {
	p := baseParams()
	p["smtpd_delay_reject"] = "no"
	p["smtpd_client_restrictions"] = "reject"
	p["smtpd_reject_footer"] = "$client_address"
	p["smtpd_expansion_filter"] = `0123456789\0.`
	replies, _ := chat(t, p, newTestDeps(nil, nil), Client{Name: "localhost", Addr: "127.0.0.1", Port: "4000"}, "QUIT")
	want := []string{
		"554-5.7.1 <localhost[127.0.0.1]>: Client host rejected: Access denied",
		"554 5.7.1 127_0_0_1",
		"221 2.0.0 Bye",
	}
	if strings.Join(replies, "\n") != strings.Join(want, "\n") {
		t.Errorf("replies:\n%s\nwant:\n%s", strings.Join(replies, "\n"), strings.Join(want, "\n"))
	}
}

// TestRejectFooterSession checks which replies get a footer and what
// the session macros expand to.
func TestRejectFooterSession(t *testing.T) {
	p := baseParams()
	p["smtpd_reject_footer"] = `\c (client=$client_address helo=$helo_name from=$sender to=$recipient_domain)`
	p["mynetworks"] = "192.0.2.0/24"
	deps := newTestDeps(nil, []string{"mx.example.com"})
	replies, _ := chat(t, p, deps, Client{Name: "c.example", Addr: "127.0.0.1", Port: "4000"},
		"HELO h.example", "MAIL FROM:<s@x.example>", "RCPT TO:<r@elsewhere.example>", "NOOP", "QUIT")
	want := []string{
		"220 mx.example.com ESMTP Postfix",
		"250 mx.example.com",
		"250 2.1.0 Ok",
		"454 4.7.1 <r@elsewhere.example>: Relay access denied (client=127.0.0.1 helo=h.example from=s@x.example to=)",
		"250 2.0.0 Ok",
		"221 2.0.0 Bye",
	}
	if strings.Join(replies, "\n") != strings.Join(want, "\n") {
		t.Errorf("replies:\n%s\nwant:\n%s", strings.Join(replies, "\n"), strings.Join(want, "\n"))
	}
}

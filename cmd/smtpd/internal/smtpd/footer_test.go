package smtpd

import (
	"strings"
	"testing"
)

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

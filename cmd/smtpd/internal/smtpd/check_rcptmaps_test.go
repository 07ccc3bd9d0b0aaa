package smtpd

import (
	"strings"
	"testing"
)

func TestReceiveOverrideOptions(t *testing.T) {
	p := baseParams()
	p["receive_override_options"] = "no_address_mappings, no_header_body_checks"
	c := NewConfig(p)
	if c.Err != nil {
		t.Fatal(c.Err)
	}
	// no_milters is the session's to add (when it has no Milters).
	if got := transpCleanup(cleanupMaskExternal, c.InputTransp); got != cleanupFlagMilter {
		t.Errorf("cleanup flags %#x, want only the Milter flag", got)
	}
	p["receive_override_options"] = "no_unknown_recipient_checks, no_milters"
	if got := transpCleanup(cleanupMaskExternal, NewConfig(p).InputTransp); got != cleanupFlagFilter|cleanupFlagBCCOK|cleanupFlagMapOK {
		t.Errorf("cleanup flags %#x: only the Milter flag goes", got)
	}
	p["receive_override_options"] = "no_such_thing"
	if err := NewConfig(p).Err; err == nil || err.Error() != `unknown receive_override_options value "no_such_thing" in "no_such_thing"` {
		t.Errorf("error %v", err)
	}
}

// TestRcptMapsAndLogins checks the unknown recipient tables with
// recipient_delimiter and the sender login checks.
func TestRcptMapsAndLogins(t *testing.T) {
	p := baseParams()
	p["mynetworks"] = "192.0.2.0/24"
	p["local_recipient_maps"] = "inline:{user=1}"
	p["smtpd_sender_login_maps"] = "inline:{owned@example.org=test}"
	p["smtpd_sasl_auth_enable"] = "yes"
	p["smtpd_sender_restrictions"] = "reject_sender_login_mismatch"
	deps := newTestDeps(nil, []string{"mx.example.com"})
	deps.SASL = nil // the checks need SASL enabled, not an AUTH
	for _, tc := range []struct{ sender, rcpt, want string }{
		{"a@example.org", "user+ext@mx.example.com", "250 2.1.5 Ok"},
		{"a@example.org", "nouser+ext@mx.example.com",
			"550 5.1.1 <nouser+ext@mx.example.com>: Recipient address rejected: User unknown in local recipient table"},
		{"owned+x@example.org", "user@mx.example.com", "553 5.7.1 <owned+x@example.org>: Sender address rejected: not logged in"},
		{"free@example.org", "user@mx.example.com", "250 2.1.5 Ok"},
	} {
		replies, log := chat(t, p, deps, Client{Name: "c.example", Addr: "127.0.0.1", Port: "4000"},
			"HELO h.example", "MAIL FROM:<"+tc.sender+">", "RCPT TO:<"+tc.rcpt+">", "QUIT")
		if len(replies) < 4 || replies[3] != tc.want {
			t.Errorf("%s -> %s: replies %q, want %q\n%s", tc.sender, tc.rcpt, replies, tc.want, strings.Join(log, "\n"))
		}
	}
}

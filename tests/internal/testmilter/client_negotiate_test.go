package testmilter_test

import (
	"strings"
	"testing"

	"gopostfix/libglobal/milter"
	tm "gopostfix/tests/internal/testmilter"
)

// What Postfix offers per milter_protocol setting (milter8.c's masks).
func TestNegotiationPerVersion(t *testing.T) {
	for _, c := range []struct {
		protocol, optneg string
	}{
		{"2", "OPTNEG version=2 actions=0x1ff protocol=0x7f"},
		{"3", "OPTNEG version=3 actions=0x1ff protocol=0x17f"},
		{"4", "OPTNEG version=4 actions=0x1ff protocol=0x37f"},
		{"6", "OPTNEG version=6 actions=0x1ff protocol=0x1fffff"},
		{"2 no_header_reply", "OPTNEG version=2 actions=0x1ff protocol=0xff"},
		{"no_header_reply,4", "OPTNEG version=4 actions=0x1ff protocol=0x3ff"},
	} {
		// No comma in the test name: it ends up in the socket path.
		t.Run(strings.ReplaceAll(c.protocol, ",", "+"), func(t *testing.T) {
			ms, srv, lb := session(t, tm.Script{}, func(cfg *milter.Config) { cfg.Protocol = c.protocol })
			if r := ms.ConnEvent("h", "192.0.2.1", "25", milter.FamilyInet); r != "" {
				t.Fatalf("connect: %q %q", r, lb.lines())
			}
			log := endSession(t, ms, srv, 1)
			if len(log) < 2 || log[1] != c.optneg {
				t.Fatalf("negotiation %q, want %q", log, c.optneg)
			}
			checkLines(t, "warnings", lb.lines(), nil)
		})
	}
}

func TestBadProtocolSetting(t *testing.T) {
	for _, c := range []struct{ protocol, warning string }{
		{"7", "test: warning: milter @M@: bad protocol information: 7"},
		{"6 4", "test: warning: milter @M@: bad protocol information: 4"},
		{"no_header_reply", "test: warning: milter @M@: no protocol version information"},
	} {
		ms, srv, lb := session(t, tm.Script{}, func(cfg *milter.Config) { cfg.Protocol = c.protocol })
		if r := ms.ConnEvent("h", "192.0.2.1", "25", milter.FamilyInet); r != "451 4.3.5 Server configuration problem - try again later" {
			t.Errorf("%s: reply %q", c.protocol, r)
		}
		checkLines(t, c.protocol, lb.masked(srv.Spec()), []string{c.warning})
		if started, _ := srv.Sessions(); started != 0 {
			t.Errorf("%s: connected anyway", c.protocol)
		}
	}
}

// A milter running an older version than offered gets only its
// version's events (np_mask), not even their macros.
func TestOlderMilterVersion(t *testing.T) {
	ms, srv, lb := session(t, tm.Script{Version: 2}, nil)
	for _, r := range []string{
		ms.ConnEvent("h", "192.0.2.1", "25", milter.FamilyInet),
		ms.MailEvent([]string{"<a@b>"}),
		ms.DataEvent(),
		ms.UnknownEvent("FOO"),
	} {
		if r != "" {
			t.Fatalf("reply %q", r)
		}
	}
	checkLines(t, "packets", endSession(t, ms, srv, 1), []string{
		"SESSION 1",
		"OPTNEG version=6 actions=0x1ff protocol=0x1fffff",
		"MACRO C",
		`CONNECT "h" 4 25 "192.0.2.1"`,
		`MACRO M "i"="QID1"`,
		`MAIL "<a@b>"`,
		"QUIT",
		"CLOSED",
	})
	checkLines(t, "warnings", lb.lines(), nil)
}

// Negotiation failures: a newer version, actions Postfix does not
// offer, and an unexpected reply code.
func TestNegotiationConflicts(t *testing.T) {
	for _, c := range []struct {
		name    string
		sc      tm.Script
		warning string
	}{
		{"version", tm.Script{Version: 7}, "test: warning: milter @M@: protocol version 7 conflict with MTA protocol version 6"},
		{"actions", tm.Script{Actions: 0x200}, "test: warning: milter @M@: request mask 0x200 conflict with MTA request mask 0x1ff"},
		{"reply", tm.Script{Faults: map[byte]tm.Fault{tm.CmdOptneg: {Kind: tm.FaultGarbage, Data: []byte{0, 0, 0, 1, 'c'}}}},
			"test: warning: milter @M@: unexpected reply \"c\" in initial handshake"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ms, srv, lb := session(t, c.sc, nil)
			if r := ms.ConnEvent("h", "192.0.2.1", "25", milter.FamilyInet); r != "451 4.7.1 Service unavailable - try again later" {
				t.Errorf("reply %q", r)
			}
			checkLines(t, "warnings", lb.masked(srv.Spec()), []string{c.warning})
		})
	}
}

// SETSYMLIST lists replace the global macro lists per stage.
func TestSymLists(t *testing.T) {
	ms, srv, _ := session(t, tm.Script{SymLists: map[uint32]string{tm.StageConnect: "{client_addr} j", tm.StageMail: "{mail_addr}"}}, nil)
	ms.SetMacroLookup(fixedMacros(map[string]string{"{i}": "Q", "{j}": "mx", "{client_addr}": "192.0.2.1", "{mail_addr}": "a@b"}))
	ms.ConnEvent("h", "192.0.2.1", "25", milter.FamilyInet)
	ms.MailEvent([]string{"<a@b>"})
	ms.RcptEvent(0, []string{"<c@d>"})
	checkLines(t, "packets", endSession(t, ms, srv, 1), []string{
		"SESSION 1",
		"OPTNEG version=6 actions=0x1ff protocol=0x1fffff",
		`MACRO C "{client_addr}"="192.0.2.1" "j"="mx"`,
		`CONNECT "h" 4 25 "192.0.2.1"`,
		`MACRO M "{mail_addr}"="a@b"`,
		`MAIL "<a@b>"`,
		`MACRO R "i"="Q"`,
		`RCPT "<c@d>"`,
		"QUIT",
		"CLOSED",
	})
}

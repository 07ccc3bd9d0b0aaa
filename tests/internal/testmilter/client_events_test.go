package testmilter_test

import (
	"testing"

	"gopostfix/libglobal/milter"
	tm "gopostfix/tests/internal/testmilter"
)

func TestSessionEvents(t *testing.T) {
	srv := newTestMilter(t, tm.Script{Actions: 0x1ff})
	var lb logBuf
	ms, err := milter.New(testConfig(srv.Spec(), &lb))
	if err != nil {
		t.Fatal(err)
	}
	ms.SetMacroLookup(fixedMacros(map[string]string{"{j}": "mx.example", "{daemon_name}": "smtpd", "{i}": "QID1", "{mail_addr}": "a@example"}))
	steps := []struct {
		name string
		run  func() string
	}{
		{"conn", func() string { return ms.ConnEvent("client.example", "192.0.2.1", "1234", milter.FamilyInet) }},
		{"helo", func() string { return ms.HeloEvent("helo.example", true) }},
		{"mail", func() string { return ms.MailEvent([]string{"<a@example>", "SIZE=100"}) }},
		{"rcpt", func() string { return ms.RcptEvent(0, []string{"<b@example>"}) }},
		{"data", func() string { return ms.DataEvent() }},
		{"unknown", func() string { return ms.UnknownEvent("XYZZY") }},
	}
	for _, s := range steps {
		if got := s.run(); got != "" {
			t.Fatalf("%s: reply %q", s.name, got)
		}
	}
	got := endSession(t, ms, srv, 1)
	want := []string{
		"SESSION 1",
		"OPTNEG version=6 actions=0x1ff protocol=0x1fffff",
		`MACRO C "j"="mx.example" "{daemon_name}"="smtpd"`,
		`CONNECT "client.example" 4 1234 "192.0.2.1"`,
		`MACRO H`,
		`HELO "helo.example"`,
		`MACRO M "i"="QID1" "{mail_addr}"="a@example"`,
		`MAIL "<a@example>" "SIZE=100"`,
		`MACRO R "i"="QID1"`,
		`RCPT "<b@example>"`,
		`MACRO T "i"="QID1"`,
		`DATA`,
		`MACRO U`,
		`UNKNOWN "XYZZY"`,
		`QUIT`,
		"CLOSED",
	}
	checkLines(t, "packets", got, want)
	checkLines(t, "warnings", lb.lines(), nil)
}

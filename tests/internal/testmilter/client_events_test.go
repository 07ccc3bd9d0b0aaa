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

// How the client is described for each address family, and the
// Sendmail form of an unknown name with a known address.
func TestConnectForms(t *testing.T) {
	for _, c := range []struct {
		name, addr, port string
		fam              milter.Family
		want             string
	}{
		{"h.example", "2001:db8::1", "25", milter.FamilyInet6, `CONNECT "h.example" 6 25 "2001:db8::1"`},
		{"unknown", "192.0.2.9", "25", milter.FamilyInet, `CONNECT "[192.0.2.9]" 4 25 "192.0.2.9"`},
		{"unknown", "unknown", "", milter.FamilyUnspec, `CONNECT "unknown" U`},
		{"localhost", "/var/run/sock", "99", milter.FamilyUnix, `CONNECT "localhost" L 0 "/var/run/sock"`},
		{"h", "192.0.2.1", "", milter.FamilyInet, `CONNECT "h" 4 0 "192.0.2.1"`},
		{"h", "192.0.2.1", "x1", milter.FamilyInet, `CONNECT "h" 4 0 "192.0.2.1"`},
	} {
		ms, srv, lb := session(t, tm.Script{}, nil)
		ms.ConnEvent(c.name, c.addr, c.port, c.fam)
		log := endSession(t, ms, srv, 1)
		if len(log) < 4 || log[3] != c.want {
			t.Errorf("%s %s: %q, want %s", c.name, c.addr, log, c.want)
		}
		if c.port == "x1" {
			checkLines(t, "warnings", lb.masked(srv.Spec()), []string{"test: warning: milter @M@: bad client port number x1"})
		}
	}
}

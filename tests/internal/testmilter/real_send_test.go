package testmilter_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/attr"
	pfx "gopostfix/tests/internal/instance"
	tm "gopostfix/tests/internal/testmilter"
)

// Our Send hands a milter session to the real cleanup, which sends the
// content on it and applies the milter's change; the session then goes
// on with our events.
func TestSendToRealCleanup(t *testing.T) {
	pfx.RequireRealPostfix(t)
	ms, mil, lb := session(t, tm.Script{Actions: 0x1ff, Mods: []tm.Reply{tm.AddHeader("X-Milter", "seen")}},
		func(c *milter.Config) {
			c.Macros.EOH = "i {mystery}"
			c.MacroDefaults = "mystery=dflt"
		})
	envelope(t, ms)
	in := pfx.New(t, pfx.Options{Prefix: "miltertest",
		Main: pfx.BareMainCF("example.com") + "default_transport = discard:test\nlocal_transport = discard:test\n"})
	c, err := attr.Dial(in.Path("queue/public/cleanup"), attr.Format0, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var qid string
	if err := c.ReadAnnouncement("cleanup_protocol", attr.RecvStr("queue_id", &qid)); err != nil {
		t.Fatal(err)
	}
	// BOUNCE|FILTER|BCC_OK|MAP_OK|MILTER, as smtpd sends them.
	if err := c.Print(attr.Int("flags", 1|2|16|32|64)); err != nil {
		t.Fatal(err)
	}
	w := record.NewWriter(c.BufWriter(), 0)
	w.PutString(record.Time, fmt.Sprintf("%d 0", time.Now().Unix()))
	w.PutString(record.From, "sender@example.com")
	w.PutString(record.Rcpt, "user@mx.example.com")
	if err := ms.Send(c); err != nil {
		t.Fatalf("send: %v (%q)", err, lb.lines())
	}
	w.PutString(record.Mesg, "")
	w.PutString(record.Norm, "Received: from client.example (localhost [127.0.0.1])")
	w.PutString(record.Norm, "\tby mx.example.com (Postfix) with ESMTP id "+qid)
	for _, l := range realMessage {
		l = strings.TrimPrefix(l, ".")
		w.PutString(record.Norm, l)
	}
	w.PutString(record.Xtra, "")
	w.PutString(record.End, "")
	if err := c.BufWriter().Flush(); err != nil {
		t.Fatal(err)
	}
	var status int
	var reason string
	if _, err := c.Scan(attr.Missing, attr.RecvInt("status", &status), attr.RecvStr("reason", &reason)); err != nil || status != 0 {
		t.Fatalf("cleanup: status %d %q %v", status, reason, err)
	}
	if r := ms.RcptEvent(0, []string{"<x@y>"}); r != "" {
		t.Fatalf("rcpt after hand-off: %q", r)
	}
	i := fmt.Sprintf(`"i"=%q`, qid)
	checkLines(t, "milter session", contentPackets(endSession(t, ms, mil, 1)), []string{
		`MACRO L ` + i + ` "{mystery}"="dflt"`, `HEADER "From" "<sender@example.com>"`,
		`MACRO L ` + i + ` "{mystery}"="dflt"`, `HEADER "To" "<user@mx.example.com>"`,
		`MACRO L ` + i + ` "{mystery}"="dflt"`, `HEADER "Date" "Mon, 30 Nov 2026 01:00:00 +0000"`,
		`MACRO L ` + i + ` "{mystery}"="dflt"`, `HEADER "Message-ID" "<m1@example.com>"`,
		`MACRO L ` + i + ` "{mystery}"="dflt"`, `HEADER "Subject" "a folded\n  subject line"`,
		`MACRO L ` + i + ` "{mystery}"="dflt"`, `HEADER "X-Empty" ""`,
		`MACRO N ` + i + ` "{mystery}"="dflt"`, "EOH",
		`MACRO B ` + i, `BODY "body line 1\r\n\r\n.dot line\r\nlast line\r\n"`,
		`MACRO E ` + i, `EOB ""`, `MACRO R "i"="QID1"`, `RCPT "<x@y>"`, "QUIT", "CLOSED"})
	checkLines(t, "warnings", lb.lines(), nil)
}

package testmilter_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/milter"
	tm "gopostfix/tests/internal/testmilter"
)

// step names a client call; run performs it on ms.
type step string

func (s step) run(ms *milter.Milters) string {
	word, arg, _ := strings.Cut(string(s), " ")
	switch word {
	case "conn":
		return ms.ConnEvent("client.example", "192.0.2.1", "1234", milter.FamilyInet)
	case "helo":
		return ms.HeloEvent(arg, true)
	case "mail":
		return ms.MailEvent(strings.Fields(arg))
	case "rcpt":
		return ms.RcptEvent(0, strings.Fields(arg))
	case "rcptrej":
		return ms.RcptEvent(milter.FlagWantRcptRej, strings.Fields(arg))
	case "data":
		return ms.DataEvent()
	case "unknown":
		return ms.UnknownEvent(arg)
	case "other":
		return ms.OtherEvent()
	case "abort":
		ms.Abort()
		return ""
	}
	panic("bad step " + s)
}

// replyCase runs steps against a scripted milter and checks each result,
// the packets the milter got (without the OPTNEG line) and the warnings.
type replyCase struct {
	name     string
	sc       tm.Script
	adjust   func(*milter.Config)
	steps    []step
	results  []string
	packets  []string
	warnings []string
}

func (c replyCase) run(t *testing.T) {
	ms, srv, lb := session(t, c.sc, c.adjust)
	var got []string
	for _, s := range c.steps {
		got = append(got, fmt.Sprintf("%s => %q", s, s.run(ms)))
	}
	var want []string
	for i, s := range c.steps {
		want = append(want, fmt.Sprintf("%s => %q", s, c.results[i]))
	}
	checkLines(t, "results", got, want)
	if c.packets != nil {
		log := endSession(t, ms, srv, 1)
		if len(log) > 2 {
			log = log[2:]
		}
		checkLines(t, "packets", log, c.packets)
	}
	checkLines(t, "warnings", lb.masked(srv.Spec()), c.warnings)
}

func replies(cmd byte, r ...tm.Reply) map[byte][]tm.Reply { return map[byte][]tm.Reply{cmd: r} }

const (
	rejected  = "550 5.7.1 Command rejected"
	tempfail  = "451 4.7.1 Service unavailable - try again later"
	confError = "451 4.3.5 Server configuration problem - try again later"
)

func TestReplies(t *testing.T) {
	cases := []replyCase{
		{name: "connect reject persists",
			sc:      tm.Script{Replies: replies(tm.CmdConnect, tm.Reject)},
			steps:   []step{"conn", "helo h", "mail <a@b>", "other"},
			results: []string{rejected, rejected, rejected, rejected},
			packets: []string{"MACRO C", `CONNECT "client.example" 4 1234 "192.0.2.1"`, "CLOSED"}},
		{name: "connect tempfail",
			sc:      tm.Script{Replies: replies(tm.CmdConnect, tm.Tempfail)},
			steps:   []step{"conn", "helo h"},
			results: []string{tempfail, tempfail}},
		{name: "helo replycode",
			sc:      tm.Script{Replies: replies(tm.CmdHelo, tm.ReplyCode("421 4.7.0 go %%away%"))},
			steps:   []step{"conn", "helo h", "mail <a@b>"},
			results: []string{"", "421 4.7.0 go %away", "421 4.7.0 go %away"}},
		{name: "rcpt reject is not persistent",
			sc:      tm.Script{Replies: replies(tm.CmdRcpt, tm.Reject, tm.Continue)},
			steps:   []step{"conn", "mail <a@b>", "rcpt <c@d>", "rcpt <e@f>"},
			results: []string{"", "", rejected, ""}},
		{name: "multi-line replycode",
			sc:      tm.Script{Replies: replies(tm.CmdMail, tm.ReplyCode("550-5.7.1 first\r\n550 5.7.1 second"))},
			steps:   []step{"conn", "mail <a@b>"},
			results: []string{"", "550-5.7.1 first\r\n550 5.7.1 second"}},
		{name: "soft bounce",
			sc:      tm.Script{Replies: replies(tm.CmdMail, tm.ReplyCode("550-5.7.1 first\r\n550 5.7.1 second"))},
			adjust:  func(c *milter.Config) { c.SoftBounce = true },
			steps:   []step{"conn", "mail <a@b>"},
			results: []string{"", "450-4.7.1 first\r\n450 4.7.1 second"}},
		{name: "malformed replycode",
			sc:       tm.Script{Replies: replies(tm.CmdMail, tm.ReplyCode("250 2.0.0 fine"))},
			steps:    []step{"conn", "mail <a@b>", "rcpt <c@d>"},
			results:  []string{"", confError, confError},
			warnings: []string{"test: warning: milter @M@: malformed reply: 250 2.0.0 fine"}},
		{name: "replycode with mismatched enhanced code",
			sc:       tm.Script{Replies: replies(tm.CmdMail, tm.ReplyCode("550 4.7.1 no"))},
			steps:    []step{"conn", "mail <a@b>"},
			results:  []string{"", confError},
			warnings: []string{"test: warning: milter @M@: malformed reply: 550 4.7.1 no"}},
		{name: "discard at mail",
			sc:      tm.Script{Replies: replies(tm.CmdMail, tm.Discard, tm.Continue)},
			steps:   []step{"conn", "mail <a@b>", "rcpt <c@d>", "abort", "mail <a@b>"},
			results: []string{"", "D", "", "", ""},
			packets: []string{"MACRO C", `CONNECT "client.example" 4 1234 "192.0.2.1"`,
				`MACRO M "i"="QID1"`, `MAIL "<a@b>"`, "ABORT", `MACRO M "i"="QID1"`, `MAIL "<a@b>"`, "QUIT", "CLOSED"}},
		{name: "discard at connect",
			sc:       tm.Script{Replies: replies(tm.CmdConnect, tm.Discard)},
			steps:    []step{"conn", "helo h"},
			results:  []string{"", ""},
			warnings: []string{"test: warning: milter @M@: DISCARD action is not allowed for connect or helo"}},
		{name: "quarantine then events after it",
			sc:       tm.Script{Before: map[byte][]tm.Reply{tm.CmdMail: {tm.QuarantineReply("look")}}},
			steps:    []step{"conn", "mail <a@b>", "rcpt <c@d>"},
			results:  []string{"", "H", "H"},
			warnings: []string{"test: warning: milter8_event: attempt to send event SMFIC_RCPT to milter @M@ after error"}},
		{name: "shutdown",
			sc:      tm.Script{Replies: replies(tm.CmdHelo, tm.Shutdown)},
			steps:   []step{"conn", "helo h", "mail <a@b>"},
			results: []string{"", "S", "S"}},
		{name: "accept at connect ends the session for the milter",
			sc:      tm.Script{Replies: replies(tm.CmdConnect, tm.Accept)},
			steps:   []step{"conn", "helo h", "mail <a@b>"},
			results: []string{"", "", ""},
			packets: []string{"MACRO C", `CONNECT "client.example" 4 1234 "192.0.2.1"`, "CLOSED"}},
		{name: "accept at mail skips the message",
			sc:      tm.Script{Replies: replies(tm.CmdMail, tm.Accept, tm.Continue)},
			steps:   []step{"conn", "mail <a@b>", "rcpt <c@d>", "data", "helo again", "abort", "mail <a@b>"},
			results: []string{"", "", "", "", "", "", ""},
			packets: []string{"MACRO C", `CONNECT "client.example" 4 1234 "192.0.2.1"`,
				`MACRO M "i"="QID1"`, `MAIL "<a@b>"`, "MACRO H", `HELO "again"`, "ABORT",
				`MACRO M "i"="QID1"`, `MAIL "<a@b>"`, "QUIT", "CLOSED"}},
		{name: "skip",
			sc:      tm.Script{Protocol: tm.Skip, Replies: replies(tm.CmdRcpt, tm.SkipRest)},
			steps:   []step{"conn", "mail <a@b>", "rcpt <c@d>", "rcpt <e@f>", "data", "rcpt <g@h>"},
			results: []string{"", "", "", "", "", ""},
			packets: []string{"MACRO C", `CONNECT "client.example" 4 1234 "192.0.2.1"`,
				`MACRO M "i"="QID1"`, `MAIL "<a@b>"`, `MACRO R "i"="QID1"`, `RCPT "<c@d>"`,
				`MACRO T "i"="QID1"`, "DATA", `MACRO R "i"="QID1"`, `RCPT "<g@h>"`, "QUIT", "CLOSED"}},
		{name: "progress",
			sc:      tm.Script{Before: map[byte][]tm.Reply{tm.CmdMail: {tm.Progress, tm.Progress}}},
			steps:   []step{"conn", "mail <a@b>", "rcpt <c@d>"},
			results: []string{"", "", ""}},
		{name: "no-reply flags",
			sc:      tm.Script{Protocol: tm.NRConn | tm.NRHelo | tm.NRMail | tm.NRRcpt | tm.NRData | tm.NRUnknown},
			steps:   []step{"conn", "helo h", "mail <a@b>", "rcpt <c@d>", "data", "unknown FOO"},
			results: []string{"", "", "", "", "", ""},
			packets: []string{"MACRO C", `CONNECT "client.example" 4 1234 "192.0.2.1"`, "MACRO H", `HELO "h"`,
				`MACRO M "i"="QID1"`, `MAIL "<a@b>"`, `MACRO R "i"="QID1"`, `RCPT "<c@d>"`,
				`MACRO T "i"="QID1"`, "DATA", "MACRO U", `UNKNOWN "FOO"`, "QUIT", "CLOSED"}},
		{name: "events not wanted still get macros",
			sc:      tm.Script{Protocol: tm.NoHelo | tm.NoRcpt},
			steps:   []step{"conn", "helo h", "mail <a@b>", "rcpt <c@d>"},
			results: []string{"", "", "", ""},
			packets: []string{"MACRO C", `CONNECT "client.example" 4 1234 "192.0.2.1"`, "MACRO H",
				`MACRO M "i"="QID1"`, `MAIL "<a@b>"`, `MACRO R "i"="QID1"`, "QUIT", "CLOSED"}},
		{name: "rejected recipients only for RCPT_REJ milters",
			steps:   []step{"conn", "mail <a@b>", "rcptrej <c@d>"},
			results: []string{"", "", ""},
			packets: []string{"MACRO C", `CONNECT "client.example" 4 1234 "192.0.2.1"`,
				`MACRO M "i"="QID1"`, `MAIL "<a@b>"`, "QUIT", "CLOSED"}},
		{name: "rejected recipients to a RCPT_REJ milter",
			sc:      tm.Script{Protocol: tm.RcptRej},
			steps:   []step{"conn", "mail <a@b>", "rcptrej <c@d>"},
			results: []string{"", "", ""},
			packets: []string{"MACRO C", `CONNECT "client.example" 4 1234 "192.0.2.1"`,
				`MACRO M "i"="QID1"`, `MAIL "<a@b>"`, `MACRO R "i"="QID1"`, `RCPT "<c@d>"`, "QUIT", "CLOSED"}},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

// Failures and what milter_default_action then answers.
func TestErrorsAndDefaultActions(t *testing.T) {
	closeAt := func(cmd byte) tm.Script { return tm.Script{Faults: map[byte]tm.Fault{cmd: {Kind: tm.FaultClose}}} }
	readErr := "test: warning: milter @M@: can't read SMFIC_HELO reply packet header: Application error"
	var cases []replyCase
	for _, d := range []struct{ action, reply string }{
		{"accept", ""}, {"reject", "550 5.5.0 Service unavailable"}, {"tempfail", tempfail},
		{"quarantine", "H"}, {"Tempfail", tempfail},
	} {
		action := d.action
		cases = append(cases, replyCase{name: "closed at helo " + d.action,
			sc: closeAt(tm.CmdHelo), adjust: func(c *milter.Config) { c.DefaultAction = action },
			steps: []step{"conn", "helo h", "mail <a@b>", "other"}, results: []string{"", d.reply, d.reply, d.reply},
			warnings: []string{readErr}})
	}
	cases = append(cases,
		replyCase{name: "bogus default action",
			sc: closeAt(tm.CmdHelo), adjust: func(c *milter.Config) { c.DefaultAction = "bogus" },
			steps: []step{"conn", "helo h"}, results: []string{"", confError},
			warnings: []string{readErr, "test: warning: milter @M@: unrecognized default action: bogus"}},
		replyCase{name: "per-milter default action",
			sc: closeAt(tm.CmdHelo), adjust: func(c *milter.Config) { c.Names = "{ @M@, default_action=reject }" },
			steps: []step{"conn", "helo h"}, results: []string{"", "550 5.5.0 Service unavailable"},
			warnings: []string{readErr}},
		replyCase{name: "command timeout",
			sc:     tm.Script{Faults: map[byte]tm.Fault{tm.CmdMail: {Kind: tm.FaultStall}}},
			adjust: func(c *milter.Config) { c.Names = "{@M@ {command_timeout = 1s}}" },
			steps:  []step{"conn", "mail <a@b>"}, results: []string{"", tempfail},
			warnings: []string{"test: warning: milter @M@: can't read SMFIC_MAIL reply packet header: Connection timed out"}},
		replyCase{name: "zero packet length",
			sc:    tm.Script{Faults: map[byte]tm.Fault{tm.CmdConnect: {Kind: tm.FaultGarbage, Data: []byte{0, 0, 0, 0}}}},
			steps: []step{"conn", "helo h"}, results: []string{tempfail, tempfail},
			warnings: []string{"test: warning: milter @M@: bad packet length: 0"}},
		replyCase{name: "huge packet length",
			sc:    tm.Script{Faults: map[byte]tm.Fault{tm.CmdConnect: {Kind: tm.FaultGarbage, Data: []byte{0xff, 0, 0, 0}}}},
			steps: []step{"conn"}, results: []string{tempfail},
			warnings: []string{"test: warning: milter @M@: unreasonable packet length: 4278190080 > 1073741823"}},
		replyCase{name: "continue with data",
			sc:    tm.Script{Replies: replies(tm.CmdHelo, tm.Raw('c', []byte("xy")))},
			steps: []step{"conn", "helo hh"}, results: []string{"", tempfail},
			warnings: []string{"test: warning: milter @M@: reply SMFIR_CONTINUE was followed by 3 data bytes"}},
		replyCase{name: "edit outside end of message",
			sc:    tm.Script{Replies: replies(tm.CmdRcpt, tm.AddHeader("X", "y"))},
			steps: []step{"conn", "mail <a@b>", "rcpt <c@d>", "data"}, results: []string{"", "", tempfail, tempfail},
			warnings: []string{"test: warning: milter @M@: unexpected filter response SMFIR_ADDHEADER after event SMFIC_RCPT"}},
		replyCase{name: "unknown reply code",
			sc:    tm.Script{Replies: replies(tm.CmdMail, tm.Raw('Z', nil))},
			steps: []step{"conn", "mail <a@b>"}, results: []string{"", tempfail},
			warnings: []string{"test: warning: milter @M@: unexpected filter response (unknown filter reply) after event SMFIC_MAIL"}},
		replyCase{name: "truncated replycode",
			sc: tm.Script{Faults: map[byte]tm.Fault{tm.CmdMail: {Kind: tm.FaultGarbage,
				Data: []byte{0, 0, 0, 20, 'y', '5', '5', '0'}}}, ReadTimeout: 2 * time.Second},
			adjust: func(c *milter.Config) { c.CmdTimeout = time.Second },
			steps:  []step{"conn", "mail <a@b>"}, results: []string{"", tempfail},
			warnings: []string{"test: warning: milter @M@: EOF while reading data: Connection timed out"}},
	)
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

func TestConnectFailure(t *testing.T) {
	lb := &logBuf{}
	cfg := testConfig("unix:"+t.TempDir()+"/none.sock inet:127.0.0.1:34001", lb)
	cfg.DefaultAction = "accept"
	ms, err := milter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r := ms.ConnEvent("h", "192.0.2.1", "25", milter.FamilyInet); r != "" {
		t.Errorf("reply %q", r)
	}
	lines := lb.lines()
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "test: warning: connect to Milter service unix:") ||
		!strings.HasSuffix(lines[0], "/none.sock: No such file or directory") ||
		lines[1] != "test: warning: connect to Milter service inet:127.0.0.1:34001: Connection refused" {
		t.Errorf("warnings %q", lines)
	}
	if ms.Count() != 2 {
		t.Errorf("count %d", ms.Count())
	}
}

package flow

import (
	"strings"
	"testing"

	tm "gopostfix/tests/internal/testmilter"
)

// milterMain configures two milters in sequence and
// milter_header_checks.
func milterMain(addr1, addr2 string) string {
	return "non_smtpd_milters = inet:" + addr1 + " inet:" + addr2 + "\n" +
		"milter_header_checks = regexp:@ROOT@/etc/milter_header_checks\n" +
		"virtual_alias_maps = inline:{ {list@mx.flow.example = bob@mx.flow.example, carol@mx.flow.example} }\n"
}

var milterFiles = map[string]string{
	"milter_header_checks": `/^X-Hbc: warn/ WARN milter header warned
/^X-Hbc: replace/ REPLACE X-Hbc: replaced
/^X-Hbc: bcc/ BCC hbc-copy@mx.flow.example
/^X-Hbc: hold/ HOLD held by hbc
/^X-Hbc: reject/ REJECT 5.7.0 rejected by hbc
/^X-Hbc: strip/ STRIP
/^X-Hbc: filter/ FILTER smtp:[127.0.0.1]:10025
/^X-Hbc: redirect/ REDIRECT other@mx.flow.example
/^X-Hbc: pass/ PASS not for milters
`,
}

// editing is a script that may send every modification request.
func editing(mods ...tm.Reply) tm.Script {
	return tm.Script{Version: 6, Actions: 0x1ff, Mods: mods}
}

var (
	milterArgs  = []string{"-f", "alice@mx.flow.example", "bob@mx.flow.example", "carol@mx.flow.example"}
	milterInput = "Subject: milter test\nTo: bob@mx.flow.example\nX-Short: a\nX-Dup: one\nX-Dup: two\n\nbody line\nsecond line\n"
	longBody    = strings.Repeat(strings.Repeat("x", 300)+"\r\n", 20)
)

// milterCases are compared one after the other; the deferred ones come
// last (pickup would try them again with every later submission).
var milterCases = []milterSubmission{
	{name: "pass", s1: editing(), s2: editing()},
	{name: "add-header", s1: editing(tm.AddHeader("X-One", "first")),
		s2: editing(tm.AddHeader("X-Two", "second"), tm.AddHeader("X-Three", "3"))},
	{name: "insert-header", s1: editing(tm.InsHeader(0, "X-Top", "top"), tm.InsHeader(3, "X-Mid", "middle")),
		s2: editing(tm.InsHeader(1, "X-Again", "again"), tm.InsHeader(0, "X-Top2", "t"))},
	{name: "change-delete-header", s1: editing(tm.ChgHeader(1, "Subject", "changed subject"),
		tm.ChgHeader(1, "X-Short", ""), tm.ChgHeader(2, "X-Dup", ""), tm.ChgHeader(5, "X-Missing", "appended")),
		s2: editing(tm.ChgHeader(1, "Subject", "changed again"), tm.ChgHeader(1, "X-Dup", "new one"))},
	{name: "folded-headers", input: "Subject: a folded\n subject line\nX-Folded: one\n\ttwo\n\tthree\nX-Short: a\n\nbody\n",
		s1: editing(tm.ChgHeader(1, "Subject", "replaced\n\tfolded value"), tm.ChgHeader(1, "X-Folded", ""),
			tm.InsHeader(3, "X-Inserted", "in the middle"), tm.AddHeader("X-Multi", "first\n second")),
		s2: editing(tm.ChgHeader(1, "X-Multi", ""), tm.InsHeader(2, "X-Again", "x"))},
	// header_size_limit is lowered to 60000 when Milters apply.
	{name: "huge-header", input: "X-Big: start\n" + strings.Repeat("\t"+strings.Repeat("h", 98)+"\n", 700) + "Subject: after\n\nbody\n",
		s1: editing(tm.ChgHeader(1, "Subject", "changed"))},
	{name: "virtual-aliases", args: []string{"-f", "alice@mx.flow.example", "list@mx.flow.example", "bob@mx.flow.example"},
		s1: editing(tm.DelRcptReply("<list@mx.flow.example>"), tm.AddRcptReply("<plainuser>"),
			tm.ChgFromReply("<plainsender>", "")),
		s2: editing(tm.AddRcptReply("<list@mx.flow.example>"), tm.AddRcptReply("<carol@mx.flow.example>"))},
	{name: "received", s1: editing(tm.ChgHeader(1, "Received", "by milter"), tm.ChgHeader(1, "Date", ""))},
	{name: "chg-from", s1: editing(tm.ChgFromReply("<new-sender@mx.flow.example>", "RET=HDRS ENVID=abc+2Bdef")),
		s2: editing(tm.ChgFromReply("<x@y>", ""))},
	{name: "chg-from-bad-args", s1: editing(tm.ChgFromReply("Some One <one@mx.flow.example>, two@x", "SIZE=10 RET=bogus"))},
	{name: "recipients", s1: editing(tm.AddRcptReply("<added@mx.flow.example>"),
		tm.AddRcptParReply("<par@mx.flow.example>", "NOTIFY=SUCCESS,DELAY ORCPT=rfc822;orig+40example.com"),
		tm.DelRcptReply("<carol@mx.flow.example>")),
		s2: editing(tm.DelRcptReply("<added@mx.flow.example>"), tm.AddRcptReply("<bob@mx.flow.example>"),
			tm.AddRcptParReply("<third@mx.flow.example>", "FOO=bar NOTIFY=never"))},
	{name: "replace-body", s1: editing(tm.ReplBody("replaced line 1\r\nline 2\r\n")),
		s2: editing(tm.ReplBody(longBody), tm.AddHeader("X-After-Body", "yes"))},
	{name: "replace-body-twice", s1: editing(tm.ReplBody("first\r\nsec"), tm.ReplBody("ond\r\nno newline")),
		s2: editing(tm.ReplBody("short\r\n"))},
	{name: "header-checks", s1: editing(tm.AddHeader("X-Hbc", "warn me"), tm.AddHeader("X-Hbc", "replace me"),
		tm.AddHeader("X-Hbc", "bcc me"), tm.InsHeader(1, "X-Hbc", "strip me"))},
	{name: "header-checks-meta", s1: editing(tm.AddHeader("X-Hbc", "filter me"), tm.AddHeader("X-Hbc", "pass me")),
		s2: editing(tm.ChgHeader(7, "X-Hbc", "redirect me"))},
	{name: "header-checks-hold", s1: editing(tm.AddHeader("X-Hbc", "hold me"))},
	{name: "header-checks-reject", s1: editing(tm.AddHeader("X-Hbc", "reject me"), tm.AddHeader("X-Later", "x"))},
	{name: "long-body-lines", s1: editing(tm.ReplBody(strings.Repeat("z", 5000) + "\r\nshort\r\n" + strings.Repeat("w", 2048) + "\r\n"))},
	{name: "extracted-recipients", args: []string{"-t", "-f", "alice@mx.flow.example"},
		input: "To: bob@mx.flow.example, carol@mx.flow.example\nSubject: t\n\nbody\n",
		s1:    editing(tm.AddRcptReply("<added@mx.flow.example>"), tm.DelRcptReply("<bob@mx.flow.example>"))},
	{name: "discard-rcpt", s1: tm.Script{Replies: map[byte][]tm.Reply{tm.CmdRcpt: {tm.Continue, tm.Discard}}}},
	{name: "reject", s1: tm.Script{Replies: map[byte][]tm.Reply{tm.CmdEOB: {tm.ReplyCode("550 5.7.1 rejected by test milter")}}}},
	{name: "reject-mail", s2: tm.Script{Replies: map[byte][]tm.Reply{tm.CmdMail: {tm.Reject}}}},
	{name: "discard", s2: tm.Script{Replies: map[byte][]tm.Reply{tm.CmdEOB: {tm.Discard}}}},
	{name: "quarantine", s1: tm.Script{Before: map[byte][]tm.Reply{tm.CmdEOB: {tm.QuarantineReply("held by test")}}}},
	{name: "shutdown", s1: tm.Script{Replies: map[byte][]tm.Reply{tm.CmdEOB: {tm.Shutdown}}}},
	{name: "milter-hangup", s2: tm.Script{Faults: map[byte]tm.Fault{tm.CmdEOB: {Kind: tm.FaultClose}}}, deferred: true},
	{name: "tempfail", s1: tm.Script{Replies: map[byte][]tm.Reply{tm.CmdEOB: {tm.Tempfail}}}, deferred: true},
	{name: "reject-rcpt", s1: tm.Script{Replies: map[byte][]tm.Reply{tm.CmdRcpt: {tm.Reject}}}, deferred: true},
}

func TestMilterCleanupAgainstReal(t *testing.T) {
	t.Parallel()
	m1, m2 := startMilters(t, milterPort1, milterPort2)
	master := milterMasterCF()
	main := milterMain(milterPort1, milterPort2)
	real := newInstance(t, main, master, nil, milterFiles)
	our := newInstance(t, main, master, map[string]string{"cleanup": ours.Path(t, "cleanup")}, milterFiles)
	milters := []*tm.Server{m1, m2}
	for _, c := range milterCases {
		if c.args == nil {
			c.args = milterArgs
		}
		if c.input == "" {
			c.input = milterInput
		}
		m1.SetScript(c.s1)
		m2.SetScript(c.s2)
		want := submitMilter(t, real, milters, c)
		got := submitMilter(t, our, milters, c)
		compareMilterRuns(t, c.name, real, our, want, got)
	}
	compareMilterLogs(t, real, our)
}

// TestMilterDownAgainstReal: a milter that cannot be reached, with each
// milter_default_action.
func TestMilterDownAgainstReal(t *testing.T) {
	t.Parallel()
	for _, action := range []string{"accept", "reject", "quarantine", "tempfail"} {
		t.Run(action, func(t *testing.T) {
			main := "non_smtpd_milters = inet:" + milterPortDown + "\nmilter_default_action = " + action + "\n"
			master := milterMasterCF()
			real := newInstance(t, main, master, nil, nil)
			our := newInstance(t, main, master, map[string]string{"cleanup": ours.Path(t, "cleanup")}, nil)
			c := milterSubmission{name: "down-" + action, args: milterArgs, input: milterInput, deferred: action == "tempfail"}
			want := submitMilter(t, real, nil, c)
			got := submitMilter(t, our, nil, c)
			compareMilterRuns(t, c.name, real, our, want, got)
			compareMilterLogs(t, real, our)
		})
	}
}

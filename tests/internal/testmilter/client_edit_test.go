package testmilter_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/record"
	tm "gopostfix/tests/internal/testmilter"
)

// recEditor records every request; fail makes the request with that
// method name fail with the text.
type recEditor struct {
	calls []string
	fail  map[string]string
}

func (e *recEditor) add(method, format string, args ...any) string {
	e.calls = append(e.calls, method+" "+fmt.Sprintf(format, args...))
	return e.fail[method]
}

func (e *recEditor) AddHeader(name, value, space string) string {
	return e.add("AddHeader", "%q %q %q", name, value, space)
}
func (e *recEditor) InsHeader(i int, name, value, space string) string {
	return e.add("InsHeader", "%d %q %q %q", i, name, value, space)
}
func (e *recEditor) UpdHeader(i int, name, value, space string) string {
	return e.add("UpdHeader", "%d %q %q %q", i, name, value, space)
}
func (e *recEditor) DelHeader(i int, name string) string { return e.add("DelHeader", "%d %q", i, name) }
func (e *recEditor) ChgFrom(s, args string) string       { return e.add("ChgFrom", "%q %q", s, args) }
func (e *recEditor) AddRcpt(r string) string             { return e.add("AddRcpt", "%q", r) }
func (e *recEditor) AddRcptPar(r, args string) string    { return e.add("AddRcptPar", "%q %q", r, args) }
func (e *recEditor) DelRcpt(r string) string             { return e.add("DelRcpt", "%q", r) }
func (e *recEditor) ReplBody(op milter.BodyOp, typ byte, line []byte) string {
	switch op {
	case milter.BodyStart:
		return e.add("ReplBody", "start")
	case milter.BodyEnd:
		return e.add("ReplBody", "end")
	}
	if len(line) > 40 {
		return e.add("ReplBody", "%c %d bytes", typ, len(line))
	}
	return e.add("ReplBody", "%c %q", typ, line)
}

var allMods = []tm.Reply{
	tm.AddHeader("X-A", "1"), tm.InsHeader(0, "X-B", "2"), tm.ChgHeader(0, "Subject", "new"),
	tm.ChgHeader(2, "X-C", ""), tm.ChgFromReply("<s@x>", ""), tm.ChgFromReply("<s@x>", "SIZE=1"),
	tm.AddRcptReply("<r1>"), tm.AddRcptParReply("<r2>", "NOTIFY=NEVER"), tm.DelRcptReply("<r3>"),
	tm.ReplBody("line1\r\nline2\r\npartial"), tm.ReplBody(" more\r\n" + strings.Repeat("x", 3000) + "\r\nno crlf"),
}

func TestModifications(t *testing.T) {
	for _, c := range []struct {
		name     string
		sc       tm.Script
		fail     map[string]string
		result   string
		calls    []string
		warnings []string
	}{
		{name: "all", sc: tm.Script{Mods: allMods}, calls: []string{
			`AddHeader "X-A" "1" " "`, `InsHeader 1 "X-B" "2" " "`, `UpdHeader 1 "Subject" "new" " "`,
			`DelHeader 2 "X-C"`, `ChgFrom "<s@x>" ""`, `ChgFrom "<s@x>" "SIZE=1"`, `AddRcpt "<r1>"`,
			`AddRcptPar "<r2>" "NOTIFY=NEVER"`, `DelRcpt "<r3>"`, "ReplBody start", `ReplBody N "line1"`,
			`ReplBody N "line2"`, `ReplBody N "partial more"`, "ReplBody L 2048 bytes", "ReplBody N 952 bytes",
			`ReplBody N "no crlf"`, "ReplBody end"}},
		{name: "leading space", sc: tm.Script{Protocol: tm.HdrLeadSpc, Mods: allMods[:3]}, calls: []string{
			`AddHeader "X-A" "1" ""`, `InsHeader 1 "X-B" "2" ""`, `UpdHeader 1 "Subject" "new" ""`}},
		{name: "edit failure skips the rest", sc: tm.Script{Mods: allMods},
			fail:   map[string]string{"InsHeader": "451 4.3.0 Queue file write error"},
			result: "451 4.3.0 Queue file write error",
			calls:  []string{`AddHeader "X-A" "1" " "`, `InsHeader 1 "X-B" "2" " "`}},
		{name: "edit failure and discard", sc: tm.Script{Mods: allMods[:3], Replies: replies(tm.CmdEOB, tm.Discard)},
			fail:   map[string]string{"AddHeader": "552 5.3.4 Message file too big"},
			result: "D",
			calls:  []string{`AddHeader "X-A" "1" " "`}},
		{name: "edit failure and reject", sc: tm.Script{Mods: allMods[:1], Replies: replies(tm.CmdEOB, tm.Reject)},
			fail:   map[string]string{"AddHeader": "451 4.3.0 Queue file write error"},
			result: "451 4.3.0 Queue file write error",
			calls:  []string{`AddHeader "X-A" "1" " "`}},
		{name: "body mixed with other requests",
			sc:       tm.Script{Mods: []tm.Reply{tm.ReplBody("a\r\n"), tm.AddHeader("X", "y"), tm.ReplBody("b\r\n")}},
			result:   confError,
			calls:    []string{"ReplBody start", `ReplBody N "a"`, "ReplBody end", `AddHeader "X" "y" " "`},
			warnings: []string{"test: warning: milter @M@: body replacement requests can't currently be mixed with other requests"}},
		{name: "null header name",
			sc:       tm.Script{Mods: []tm.Reply{tm.ChgHeader(1, "", "v")}},
			result:   confError,
			warnings: []string{"test: warning: milter @M@: null change header name"}},
		{name: "left-over data",
			sc:       tm.Script{Mods: []tm.Reply{tm.Raw('+', []byte("a\x00b\x00"))}},
			result:   tempfail,
			warnings: []string{"test: warning: milter8_read_data: left-over data 2 bytes"}},
		{name: "missing terminator",
			sc:       tm.Script{Mods: []tm.Reply{tm.Raw('-', []byte("abc"))}},
			result:   tempfail,
			warnings: []string{"test: warning: milter8_read_data: milter @M@: missing string null termimator"}},
		{name: "short header index",
			sc:       tm.Script{Mods: []tm.Reply{tm.Raw('i', []byte{0, 1})}},
			result:   tempfail,
			warnings: []string{"test: warning: milter @M@: input packet too short for network long"}},
		{name: "quarantine at end of message", sc: tm.Script{Mods: []tm.Reply{tm.QuarantineReply("why")}}, result: "H"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ms, srv, lb := session(t, c.sc, nil)
			ed := &recEditor{fail: c.fail}
			ms.SetEditor(ed)
			envelope(t, ms)
			qf, off := newQueueFile(t, lines(record.Norm, "Subject: s", "", "body"))
			if r := ms.Message(qf, off, nil); r != c.result {
				t.Errorf("result %q, want %q", r, c.result)
			}
			checkLines(t, "editor calls", ed.calls, c.calls)
			checkLines(t, "warnings", lb.masked(srv.Spec()), c.warnings)
		})
	}
}

// fileEditor keeps the message as header and body lines and rewrites the
// queue file after each change, as cleanup edits the file in place.
type fileEditor struct {
	recEditor
	t       *testing.T
	f       *os.File
	headers []string
	body    []string
}

func (e *fileEditor) rewrite() {
	var recs []qrec
	for _, h := range e.headers {
		recs = append(recs, lines(record.Norm, strings.Split(h, "\n")...)...)
	}
	recs = append(recs, qrec{record.Norm, ""})
	recs = append(recs, lines(record.Norm, e.body...)...)
	writeQueueFile(e.t, e.f, recs)
}

func (e *fileEditor) AddHeader(name, value, space string) string {
	e.headers = append(e.headers, name+":"+space+value)
	e.rewrite()
	return ""
}

// Each milter reads the content as the milters before it changed it.
func TestSecondMilterSeesChanges(t *testing.T) {
	first := newTestMilter(t, tm.Script{Mods: []tm.Reply{tm.AddHeader("X-First", "yes")}})
	second := newTestMilter(t, tm.Script{})
	lb := &logBuf{}
	ms, err := milter.New(testConfig(first.Spec()+", "+second.Spec(), lb))
	if err != nil {
		t.Fatal(err)
	}
	defer ms.Close()
	ms.SetMacroLookup(fixedMacros(nil))
	qf, off := newQueueFile(t, lines(record.Norm, "Subject: s", "", "body"))
	ed := &fileEditor{t: t, f: qf, headers: []string{"Subject: s"}, body: []string{"body"}}
	ms.SetEditor(ed)
	envelope(t, ms)
	if r := ms.Message(qf, off, nil); r != "" {
		t.Fatalf("message: %q", r)
	}
	ms.DiscEvent()
	if err := second.WaitEnded(1, 5e9); err != nil {
		t.Fatal(err)
	}
	checkLines(t, "second milter content", contentPackets(second.Log()), []string{
		"MACRO L", `HEADER "Subject" "s"`, "MACRO L", `HEADER "X-First" "yes"`, "MACRO N", "EOH",
		"MACRO B", `BODY "body\r\n"`, "MACRO E", `EOB ""`, "QUIT", "CLOSED"})
}

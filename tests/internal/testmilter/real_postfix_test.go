package testmilter_test

import (
	"bufio"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/record"
	pfx "gopostfix/tests/internal/instance"
	tm "gopostfix/tests/internal/testmilter"
)

// Ports of the tests against the real Postfix: case i of
// TestSameAsRealPostfix has its milter on realPortBase+2i and smtpd on
// the next port (34010-34029); receiveFromReal uses 34030-34031;
// TestWarningsAsRealPostfix 34040-34060.
const (
	realPortBase    = 34010
	realReceivePort = 34030
)

// realMessage is sent with every header cleanup would otherwise add, so
// the milter sees the message as sent.
var realMessage = []string{
	"From: <sender@example.com>",
	"To: <user@mx.example.com>",
	"Date: Mon, 30 Nov 2026 01:00:00 +0000",
	"Message-ID: <m1@example.com>",
	"Subject: a folded",
	"  subject line",
	"X-Empty:",
	"",
	"body line 1",
	"",
	"..dot line",
	"last line",
}

// smtpSession talks to addr, line by line, and returns the replies.
func smtpSession(t *testing.T, addr string, lines, message []string) []string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	br := bufio.NewReader(c)
	var replies []string
	readReply := func() {
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				t.Fatalf("read reply: %v (so far %q)", err, replies)
			}
			replies = append(replies, strings.TrimRight(l, "\r\n"))
			if len(l) < 4 || l[3] != '-' {
				return
			}
		}
	}
	readReply()
	for _, l := range lines {
		fmt.Fprintf(c, "%s\r\n", l)
		if l == "DATA" {
			readReply()
			for _, m := range message {
				fmt.Fprintf(c, "%s\r\n", m)
			}
			fmt.Fprintf(c, ".\r\n")
		}
		readReply()
	}
	return replies
}

var macroLine = regexp.MustCompile(`^MACRO (.)(.*)$`)
var macroPair = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"="((?:[^"\\]|\\.)*)"`)

// stageMacros collects, per event letter, the macro values the real
// Postfix sent, in the "{name}" form our lookup gets.
func stageMacros(t *testing.T, log []string) map[byte]map[string]string {
	out := map[byte]map[string]string{}
	for _, l := range log {
		m := macroLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		vals := map[string]string{}
		for _, p := range macroPair.FindAllStringSubmatch(m[2], -1) {
			name, err1 := strconv.Unquote(`"` + p[1] + `"`)
			value, err2 := strconv.Unquote(`"` + p[2] + `"`)
			if err1 != nil || err2 != nil {
				t.Fatalf("bad macro line %q", l)
			}
			if name[0] != '{' {
				name = "{" + name + "}"
			}
			vals[name] = value
		}
		out[m[1][0]] = vals
	}
	return out
}

// realCase is one session against the real Postfix and its replay.
type realCase struct {
	name      string
	script    tm.Script
	message   []string
	mainExtra string               // main.cf lines for the real instance
	adjust    func(*milter.Config) // the same settings for ours
	session   []string             // nil: EHLO, MAIL, RCPT, DATA, QUIT
}

var defaultSession = []string{"EHLO client.example", "MAIL FROM:<sender@example.com> SIZE=300",
	"RCPT TO:<user@mx.example.com>", "DATA", "QUIT"}

// The real smtpd and cleanup (one milter session across both) and our
// library given the same events send the same packets.
func TestSameAsRealPostfix(t *testing.T) {
	pfx.RequireRealPostfix(t)
	big := append([]string(nil), realMessage...)
	for range 80 {
		big = append(big, strings.Repeat("0123456789", 99))
	}
	addHeader := []tm.Reply{tm.AddHeader("X-Milter", "seen")}
	for i, c := range []realCase{
		{name: "default", script: tm.Script{Actions: 0x1ff, Mods: addHeader}, message: realMessage},
		{name: "leading space, no replies, symbol lists", script: tm.Script{Actions: 0x1ff,
			Protocol: tm.HdrLeadSpc | tm.NRHdr | tm.NREOH | tm.NRBody | tm.NRConn | tm.NRMail,
			SymLists: map[uint32]string{tm.StageConnect: "{client_addr} {client_name} j", tm.StageEOH: "{mail_addr} i",
				tm.StageEOM: "{rcpt_addr}"},
			Mods: []tm.Reply{tm.AddHeader("X-Milter", " seen")}}, message: realMessage},
		{name: "big body", script: tm.Script{Actions: 0x1ff, Mods: addHeader}, message: big},
		{name: "protocol 2", script: tm.Script{Mods: addHeader}, message: realMessage,
			mainExtra: "milter_protocol = 2\n", adjust: func(c *milter.Config) { c.Protocol = "2" },
			session: []string{"EHLO client.example", "XYZZY one two", "MAIL FROM:<sender@example.com>",
				"RCPT TO:<user@mx.example.com>", "DATA", "QUIT"}},
		{name: "milter of version 3", script: tm.Script{Version: 3, Mods: addHeader}, message: realMessage},
		{name: "unknown command and no data", script: tm.Script{}, message: realMessage,
			mainExtra: "milter_unknown_command_macros = j {client_addr}\n",
			adjust:    func(c *milter.Config) { c.Macros.Unk = "j {client_addr}" },
			session: []string{"EHLO client.example", "XYZZY one two", "MAIL FROM:<sender@example.com>",
				"RCPT TO:<user@mx.example.com>", "RSET", "QUIT"}},
	} {
		t.Run(c.name, func(t *testing.T) { sameAsReal(t, realPortBase+2*i, c) })
		if i == 0 {
			t.Run("real smtpd to our Receive", func(t *testing.T) {
				receiveFromReal(t, realReceivePort, c.script, c.message)
			})
		}
	}
}

func sameAsReal(t *testing.T, port int, c realCase) {
	real, err := tm.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port), c.script)
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	pfx.New(t, pfx.Options{Prefix: "miltertest",
		Main: pfx.BareMainCF("example.com") + "smtpd_milters = " + real.Spec() + "\n" +
			"default_transport = discard:test\nlocal_transport = discard:test\n" + c.mainExtra,
		Master: pfx.MasterCF + fmt.Sprintf("127.0.0.1:%d inet n - n - 1 smtpd\n", port+1)})
	session := c.session
	if session == nil {
		session = defaultSession
	}
	replies := smtpSession(t, fmt.Sprintf("127.0.0.1:%d", port+1), session, c.message)
	if err := real.WaitEnded(1, 20*time.Second); err != nil {
		t.Fatalf("%v; replies %q", err, replies)
	}
	realLog := real.Log()
	clientPort := ""
	for _, l := range realLog {
		if f := strings.Fields(l); len(f) == 5 && f[0] == "CONNECT" {
			clientPort = f[3]
		}
	}

	// The same events through our library, with the real values.
	ours := newTestMilter(t, c.script)
	lb := &logBuf{}
	cfg := testConfig(ours.Spec(), lb)
	if c.adjust != nil {
		c.adjust(&cfg)
	}
	ms, err := milter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ms.Close()
	vals := stageMacros(t, realLog)
	at := func(stage byte) { ms.SetMacroLookup(fixedMacros(vals[stage])) }
	ed := &recEditor{}
	ms.SetEditor(ed)
	at('C')
	ms.ConnEvent("localhost", "127.0.0.1", clientPort, milter.FamilyInet)
	for _, l := range session {
		verb, arg, _ := strings.Cut(l, " ")
		switch verb {
		case "EHLO":
			at('H')
			ms.HeloEvent(arg, true)
		case "MAIL":
			at('M')
			ms.MailEvent(strings.Fields(strings.TrimPrefix(arg, "FROM:")))
		case "RCPT":
			at('R')
			ms.RcptEvent(0, strings.Fields(strings.TrimPrefix(arg, "TO:")))
		case "DATA":
			at('T')
			ms.DataEvent()
			replayMessage(t, ms, vals, c.message)
			// The real smtpd aborts when the message is done, and again
			// when the session ends.
			ms.Abort()
		case "RSET":
			ms.Abort()
		case "QUIT":
			ms.Abort()
			ms.DiscEvent()
		default:
			// The real smtpd passes only the command name.
			at('U')
			ms.UnknownEvent(verb)
		}
	}
	if err := ours.WaitEnded(1, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	checkLines(t, "packets (want: real Postfix)", ours.Log(), realLog)
	if slices.Contains(session, "DATA") && c.script.Mods != nil &&
		(len(ed.calls) != 1 || !strings.HasPrefix(ed.calls[0], `AddHeader "X-Milter"`)) {
		t.Errorf("editor calls %q", ed.calls)
	}
	checkLines(t, "warnings", lb.lines(), nil)
}

// replayMessage runs Message over the content smtpd would have queued.
func replayMessage(t *testing.T, ms *milter.Milters, vals map[byte]map[string]string, message []string) {
	recs := lines(record.Norm, "Received: from client.example (localhost [127.0.0.1])", "\tby mx.example.com")
	for _, l := range message {
		if strings.HasPrefix(l, "..") {
			l = l[1:]
		}
		recs = append(recs, qrec{record.Norm, l})
	}
	qf, off := newQueueFile(t, recs)
	eoh, eod := vals['N'], vals['E']
	ms.SetMacroLookup(func(name string) (string, bool) {
		if v, ok := eoh[name]; ok {
			return v, true
		}
		v, ok := eod[name]
		return v, ok
	})
	if r := ms.Message(qf, off, []string{"Received: from client.example (localhost [127.0.0.1])\n\tby mx.example.com"}); r != "" {
		t.Fatalf("message: %q", r)
	}
}

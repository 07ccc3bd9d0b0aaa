package testmilter_test

import (
	"bufio"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/record"
	pfx "gopostfix/tests/internal/instance"
	tm "gopostfix/tests/internal/testmilter"
)

// Ports of the tests against the real Postfix (34000-34099): case i
// has its milter on realPortBase+2i and smtpd on realPortBase+2i+1.
const realPortBase = 34010

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

// The real smtpd and cleanup (one milter session across both) and our
// library given the same events send the same packets.
func TestSameAsRealPostfix(t *testing.T) {
	pfx.RequireRealPostfix(t)
	big := append([]string(nil), realMessage...)
	for range 80 {
		big = append(big, strings.Repeat("0123456789", 99))
	}
	for i, c := range []struct {
		name    string
		script  tm.Script
		message []string
	}{
		{"default", tm.Script{Actions: 0x1ff, Mods: []tm.Reply{tm.AddHeader("X-Milter", "seen")}}, realMessage},
		{"leading space, no replies, symbol lists", tm.Script{Actions: 0x1ff,
			Protocol: tm.HdrLeadSpc | tm.NRHdr | tm.NREOH | tm.NRBody | tm.NRConn | tm.NRMail,
			SymLists: map[uint32]string{tm.StageConnect: "{client_addr} {client_name} j", tm.StageEOH: "{mail_addr} i",
				tm.StageEOM: "{rcpt_addr}"},
			Mods: []tm.Reply{tm.AddHeader("X-Milter", " seen")}}, realMessage},
		{"big body", tm.Script{Actions: 0x1ff, Mods: []tm.Reply{tm.AddHeader("X-Milter", "seen")}}, big},
	} {
		t.Run(c.name, func(t *testing.T) { sameAsReal(t, realPortBase+2*i, c.script, c.message) })
		if i == 0 {
			t.Run("real smtpd to our Receive", func(t *testing.T) {
				receiveFromReal(t, realPortBase+10, c.script, c.message)
			})
		}
	}
}

func sameAsReal(t *testing.T, port int, script tm.Script, message []string) {
	real, err := tm.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port), script)
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	pfx.New(t, pfx.Options{Prefix: "miltertest",
		Main: pfx.BareMainCF("example.com") + "smtpd_milters = " + real.Spec() + "\n" +
			"default_transport = discard:test\nlocal_transport = discard:test\n",
		Master: pfx.MasterCF + fmt.Sprintf("127.0.0.1:%d inet n - n - 1 smtpd\n", port+1)})
	session := []string{"EHLO client.example", "MAIL FROM:<sender@example.com> SIZE=300",
		"RCPT TO:<user@mx.example.com>", "DATA", "QUIT"}
	replies := smtpSession(t, fmt.Sprintf("127.0.0.1:%d", port+1), session, message)
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
	ours := newTestMilter(t, script)
	lb := &logBuf{}
	cfg := testConfig(ours.Spec(), lb)
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
	at('H')
	ms.HeloEvent("client.example", true)
	at('M')
	ms.MailEvent([]string{"<sender@example.com>", "SIZE=300"})
	at('R')
	ms.RcptEvent(0, []string{"<user@mx.example.com>"})
	at('T')
	ms.DataEvent()
	recs := lines(record.Norm, "Received: from client.example (localhost [127.0.0.1])", "\tby mx.example.com")
	for _, l := range message {
		if strings.HasPrefix(l, "..") {
			l = l[1:]
		}
		recs = append(recs, qrec{record.Norm, l})
	}
	qf, off := newQueueFile(t, recs)
	at('E')
	eod := vals['E']
	at('N')
	eoh := vals['N']
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
	// The real smtpd aborts twice: when the message is done and again
	// when the session ends.
	ms.Abort()
	ms.Abort()
	ms.DiscEvent()
	if err := ours.WaitEnded(1, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	checkLines(t, "packets (want: real Postfix)", ours.Log(), realLog)
	if len(ed.calls) != 1 || !strings.HasPrefix(ed.calls[0], `AddHeader "X-Milter"`) {
		t.Errorf("editor calls %q", ed.calls)
	}
	checkLines(t, "warnings", lb.lines(), nil)
}

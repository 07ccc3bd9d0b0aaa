package testmilter_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/milter"
	pfx "gopostfix/tests/internal/instance"
	tm "gopostfix/tests/internal/testmilter"
)

// Ports: milters 34040-34049, smtpd services 34050-34059, nobody on 34060.
const (
	warnMilterBase = 34040
	warnSmtpdBase  = 34050
	warnDeadPort   = 34060
)

// The real smtpd and our library log the same warnings, with the same
// milter names, for the same failures.
func TestWarningsAsRealPostfix(t *testing.T) {
	pfx.RequireRealPostfix(t)
	cases := []struct {
		name   string
		script tm.Script
		opts   map[string]string // smtpd -o settings, also applied to our Config
		dead   bool
	}{
		{name: "closed at helo", script: tm.Script{Faults: map[byte]tm.Fault{tm.CmdHelo: {Kind: tm.FaultClose}}}},
		{name: "malformed reply", script: tm.Script{Replies: replies(tm.CmdMail, tm.ReplyCode("250 2.0.0 ok"))}},
		{name: "timeout", script: tm.Script{Faults: map[byte]tm.Fault{tm.CmdMail: {Kind: tm.FaultStall}}},
			opts: map[string]string{"milter_command_timeout": "1s"}},
		{name: "refused", dead: true},
		{name: "bad protocol", opts: map[string]string{"milter_protocol": "7"}},
		{name: "zero length", script: tm.Script{Faults: map[byte]tm.Fault{tm.CmdConnect: {Kind: tm.FaultGarbage, Data: []byte{0, 0, 0, 0}}}}},
		{name: "bogus default action", script: tm.Script{Faults: map[byte]tm.Fault{tm.CmdHelo: {Kind: tm.FaultClose}}},
			opts: map[string]string{"milter_default_action": "bogus"}},
		{name: "continue with data", script: tm.Script{Replies: replies(tm.CmdHelo, tm.Raw('c', []byte("xy")))}},
		{name: "discard at connect", script: tm.Script{Replies: replies(tm.CmdConnect, tm.Discard)}},
		{name: "edit request at rcpt", script: tm.Script{Replies: replies(tm.CmdRcpt, tm.AddRcptReply("<x@y>"))}},
	}
	master := pfx.MasterCF
	specs := make([]string, len(cases))
	for i, c := range cases {
		specs[i] = fmt.Sprintf("inet:127.0.0.1:%d", warnMilterBase+i)
		if c.dead {
			specs[i] = fmt.Sprintf("inet:127.0.0.1:%d", warnDeadPort)
		} else {
			srv, err := tm.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", warnMilterBase+i), c.script)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
		}
		master += fmt.Sprintf("127.0.0.1:%d inet n - n - 1 smtpd -o smtpd_milters=%s", warnSmtpdBase+i, specs[i])
		for k, v := range c.opts {
			master += fmt.Sprintf(" -o %s=%s", k, v)
		}
		master += "\n"
	}
	in := pfx.New(t, pfx.Options{Prefix: "miltertest", Master: master,
		Main: pfx.BareMainCF("example.com") + "default_transport = discard:test\nlocal_transport = discard:test\n"})
	session := []string{"EHLO client.example", "MAIL FROM:<a@example.com>", "RCPT TO:<u@mx.example.com>", "QUIT"}
	for i := range cases {
		smtpSession(t, fmt.Sprintf("127.0.0.1:%d", warnSmtpdBase+i), session, nil)
	}
	// Wait until the last smtpd logged its disconnect.
	var maillog string
	pfx.WaitFor(20*time.Second, func() bool {
		maillog = in.Maillog()
		return strings.Count(maillog, "disconnect from") >= len(cases)
	})

	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want []string
			for _, l := range strings.Split(maillog, "\n") {
				if _, w, ok := strings.Cut(l, "/smtpd["); ok && strings.Contains(l, specs[i]+":") {
					if _, text, ok := strings.Cut(w, "]: "); ok {
						want = append(want, "test: "+text)
					}
				}
			}
			lb := &logBuf{}
			cfg := testConfig(specs[i], lb)
			cfg.ConnTimeout, cfg.CmdTimeout = 30*time.Second, 30*time.Second
			for k, v := range c.opts {
				switch k {
				case "milter_command_timeout":
					cfg.CmdTimeout = time.Second
				case "milter_protocol":
					cfg.Protocol = v
				case "milter_default_action":
					cfg.DefaultAction = v
				}
			}
			ms, err := milter.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer ms.Close()
			ms.ConnEvent("localhost", "127.0.0.1", "1234", milter.FamilyInet)
			ms.HeloEvent("client.example", true)
			ms.MailEvent([]string{"<a@example.com>"})
			ms.RcptEvent(0, []string{"<u@mx.example.com>"})
			ms.DiscEvent()
			if len(want) == 0 {
				t.Fatalf("the real smtpd logged no warning for %s", specs[i])
			}
			checkLines(t, "warnings (want: real smtpd)", lb.lines(), want)
		})
	}
}

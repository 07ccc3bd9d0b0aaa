package main

import (
	"strings"
	"testing"

	"gopostfix/libglobal/logevent"
	"gopostfix/libglobal/util/msg"
)

// engine returns a dummy-engine session without a connection; replies
// go nowhere, log lines to cap.
func engine(cap *msg.Capture, flags uint32) *session {
	cfg := &config{myhostname: "mx.example", lineLimit: 100, cmdCount: 20, cmdTimeNormal: 3600,
		greeting: "220 mx.example ESMTP\r\n", busyReply: "421 busy\r\n", timeoutReply: "421 timeout\r\n",
		pipelAction: actEnforce, nsmtpAction: actDrop, barlfAction: actIgnore, minTTL: 60}
	sc := testScreen(cfg)
	sc.log = msg.New(cap)
	sc.addrForm = &logevent.Logger{}
	sc.ehloPlain = cfg.ehloReply(0)
	s := &session{sc: sc, info: &clientInfo{concurrency: 1}, clientAddr: "192.0.2.1", clientPort: "1234",
		protocol: "SMTP", where: "CONNECT", timers: map[string]uint64{},
		rcptReply: "450 4.3.2 Service currently unavailable\r\n", flags: flags}
	sc.clients[s.clientAddr] = s.info
	s.smtpdTests()
	return s
}

func TestEngineLogs(t *testing.T) {
	deep := fNew | fPipelTodo | fNSMTPTodo | fBarLFTodo
	tests := []struct {
		name  string
		input []string
		want  []string
	}{
		{"pass", []string{"EHLO a\r\n", "MAIL FROM:<x@y>\r\n", "RCPT TO:<z@w>\r\n", "QUIT\r\n"}, []string{
			"NOQUEUE: reject: RCPT from [192.0.2.1]:1234: 450 4.3.2 Service currently unavailable; from=<x@y>, to=<z@w>, proto=ESMTP, helo=<a>",
			"PASS NEW [192.0.2.1]:1234", "DISCONNECT [192.0.2.1]:1234"}},
		{"pipelining", []string{"EHLO a\r\nNOOP\r\n", "QUIT\r\n"}, []string{
			"COMMAND PIPELINING from [192.0.2.1]:1234 after EHLO: NOOP\\r\\n", "DISCONNECT [192.0.2.1]:1234"}},
		{"non-smtp", []string{"Subject: hi\r\n"}, []string{
			"NON-SMTP COMMAND from [192.0.2.1]:1234 after CONNECT: Subject: hi", "DISCONNECT [192.0.2.1]:1234"}},
		{"bare newline", []string{"HELO a\n", "QUIT\r\n"}, []string{
			"BARE NEWLINE from [192.0.2.1]:1234 after HELO a", "DISCONNECT [192.0.2.1]:1234"}},
		{"line limit", []string{strings.Repeat("x", 150)}, []string{
			"COMMAND LENGTH LIMIT from [192.0.2.1]:1234 after CONNECT", "DISCONNECT [192.0.2.1]:1234"}},
		{"hangup", []string{"NOOP\r\n", ""}, []string{"DISCONNECT [192.0.2.1]:1234"}},
	}
	for _, tc := range tests {
		var cap msg.Capture
		s := engine(&cap, deep)
		for _, in := range tc.input {
			if !s.freed {
				s.smtpdRead([]byte(in), nil)
			}
		}
		got := cap.Lines
		if tc.name == "hangup" && len(got) == 2 && strings.HasPrefix(got[0], "HANGUP after ") {
			got = got[1:]
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func FuzzEngine(f *testing.F) {
	f.Add([]byte("EHLO a\r\nMAIL FROM:<x@y>\r\nRCPT TO:<z@w>\r\nDATA\r\n"))
	f.Add([]byte("GET / HTTP/1.0\r\n\r\n"))
	f.Add([]byte("HELO a\nBDAT 10 LAST\r\n"))
	f.Add([]byte("\xff\xfe\r\nQUIT\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var cap msg.Capture
		s := engine(&cap, fPipelTodo|fNSMTPTodo|fBarLFTodo)
		for len(data) > 0 && !s.freed {
			n := min(len(data), 7)
			s.smtpdRead(data[:n], nil)
			data = data[n:]
		}
		if !s.freed && len(s.cmdBuf) > s.sc.cfg.lineLimit+2 {
			t.Fatalf("command buffer grew to %d bytes", len(s.cmdBuf))
		}
	})
}

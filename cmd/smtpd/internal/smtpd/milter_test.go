package smtpd

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
	"gopostfix/libtls"
)

// fakeMilters records the events it sees and answers each event kind
// with a scripted verdict.
type fakeMilters struct {
	verdicts map[string]string // event name -> verdict
	events   []string
	lookup   func(string) (string, bool)
	closed   bool
}

func (f *fakeMilters) ev(name string, args ...string) string {
	f.events = append(f.events, strings.TrimSpace(name+" "+strings.Join(args, " ")))
	return f.verdicts[name]
}

func (f *fakeMilters) SetMacroLookup(fn func(string) (string, bool)) { f.lookup = fn }
func (f *fakeMilters) ConnEvent(name, addr, port string, family int) string {
	return f.ev("CONNECT", name, addr)
}
func (f *fakeMilters) HeloEvent(helo string, esmtp bool) string { return f.ev("HELO", helo) }
func (f *fakeMilters) MailEvent(args []string) string           { return f.ev("MAIL", args...) }
func (f *fakeMilters) RcptEvent(rejected bool, args []string) string {
	if rejected {
		return f.ev("RCPT-REJECTED", args...)
	}
	return f.ev("RCPT", args...)
}
func (f *fakeMilters) DataEvent() string                  { return f.ev("DATA") }
func (f *fakeMilters) UnknownEvent(command string) string { return f.ev("UNKNOWN", command) }
func (f *fakeMilters) OtherEvent() string                 { return f.ev("OTHER") }
func (f *fakeMilters) Abort()                             { f.ev("ABORT") }
func (f *fakeMilters) DiscEvent()                         { f.ev("DISC") }
func (f *fakeMilters) Close()                             { f.closed = true }

// milterSession runs lines through a session whose Milters are fm and
// returns the replies (each line prefixed by the command it answers)
// and the log.
func milterSession(t *testing.T, p fakeParams, fm *fakeMilters, lines []string) (replies, logs []string, q *fakeQueue) {
	t.Helper()
	capture := &msg.Capture{}
	deps := newTestDeps(capture, []string{"mx.example.com", "example.com"})
	p["smtpd_milters"] = "inet:127.0.0.1:1"
	deps.NewMilters = func(names string) (Milters, error) { return fm, nil }
	q = deps.Queue.(*fakeQueue)
	server, client := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer server.Close()
		ss := NewSession(NewConfig(p), deps, server, Client{Name: "client.example.org", Addr: "192.0.2.1", Port: "4711", ServerAddr: "192.0.2.25", ServerPort: "25"})
		ss.Serve()
	}()
	_ = client.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(client)
	read := func() bool {
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				replies = append(replies, "<EOF>")
				return false
			}
			line = strings.TrimSuffix(line, "\r\n")
			replies = append(replies, line)
			if len(line) < 4 || line[3] != '-' {
				return true
			}
		}
	}
	ok := read()
	for _, l := range lines {
		if !ok {
			break
		}
		replies = append(replies, "> "+l)
		if _, err := client.Write([]byte(l + "\r\n")); err != nil {
			replies = append(replies, "<EOF>")
			break
		}
		ok = read()
	}
	client.Close()
	<-done
	if !fm.closed {
		t.Errorf("the Milters were not closed")
	}
	return replies, capture.Lines, q
}

func TestMilterVerdicts(t *testing.T) {
	const helo, mail, rcpt = "EHLO client.example.org", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.com>"
	for _, tc := range []struct {
		name     string
		verdicts map[string]string
		lines    []string
		replies  []string // the replies that must be there, in order
		log      []string // the log lines that must be there, in order
		events   string
	}{
		{name: "connect-5xx", verdicts: map[string]string{"CONNECT": "550 5.7.1 no"}, lines: []string{"QUIT"},
			replies: []string{"554 mx.example.com ESMTP not accepting connections"},
			log:     []string{"NOQUEUE: milter-reject: CONNECT from client.example.org[192.0.2.1]: 550 5.7.1 no; proto=SMTP"},
			events:  "CONNECT client.example.org 192.0.2.1|DISC"},
		{name: "connect-421", verdicts: map[string]string{"CONNECT": "421 4.7.0 bye"}, lines: []string{helo},
			replies: []string{"421 mx.example.com Service unavailable - try again later", "> " + helo, "<EOF>"},
			events:  "CONNECT client.example.org 192.0.2.1|DISC"},
		{name: "helo-5xx", verdicts: map[string]string{"HELO": "550 5.7.1 no helo"}, lines: []string{helo},
			replies: []string{"220 mx.example.com ESMTP Postfix", "> " + helo, "250-mx.example.com", "250 ENHANCEDSTATUSCODES"},
			log:     []string{"NOQUEUE: milter-reject: EHLO from client.example.org[192.0.2.1]: 550 5.7.1 no helo; proto=SMTP helo=<client.example.org>"}},
		{name: "helo-421", verdicts: map[string]string{"HELO": "421 4.7.0 going"}, lines: []string{helo, "QUIT"},
			replies: []string{"> " + helo, "421 4.7.0 going", "> QUIT", "<EOF>"}},
		{name: "mail-shutdown", verdicts: map[string]string{"MAIL": "S"}, lines: []string{helo, mail, "QUIT"},
			replies: []string{"> " + mail, "421 4.7.0 Server closing connection", "> QUIT", "<EOF>"},
			log:     []string{"NOQUEUE: milter-reject: MAIL from client.example.org[192.0.2.1]: 421 4.7.0 Server closing connection; from=<a@example.org> proto=ESMTP helo=<client.example.org>"},
			events:  "CONNECT client.example.org 192.0.2.1|HELO client.example.org|MAIL <a@example.org>|ABORT|ABORT|DISC"},
		{name: "mail-hold", verdicts: map[string]string{"MAIL": "Hquarantined"}, lines: []string{helo, mail, rcpt, "DATA"},
			replies: []string{"> " + mail, "250 2.1.0 Ok", "> DATA", "354 End data with <CR><LF>.<CR><LF>"},
			log:     []string{"NOQUEUE: milter-hold: MAIL from client.example.org[192.0.2.1]: milter triggers HOLD action; from=<a@example.org> proto=ESMTP helo=<client.example.org>"}},
		{name: "rcpt-discard", verdicts: map[string]string{"RCPT": "D"}, lines: []string{helo, mail, rcpt, "RCPT TO:<c@example.com>", "DATA"},
			replies: []string{"> " + rcpt, "250 2.1.5 Ok", "> RCPT TO:<c@example.com>", "250 2.1.5 Ok"},
			log:     []string{"NOQUEUE: milter-discard: RCPT from client.example.org[192.0.2.1]: milter triggers DISCARD action; from=<a@example.org> to=<b@example.com> proto=ESMTP helo=<client.example.org>"},
			// After DISCARD no more envelope events reach the Milters.
			events: "CONNECT client.example.org 192.0.2.1|HELO client.example.org|MAIL <a@example.org>|RCPT <b@example.com>|ABORT|ABORT|DISC"},
		{name: "rcpt-bad-verdict", verdicts: map[string]string{"RCPT": "X"}, lines: []string{helo, mail, rcpt, "QUIT"},
			replies: []string{"> " + rcpt, "421 4.3.5 Server configuration error", "> QUIT", "<EOF>"},
			log:     []string{"NOQUEUE: reject: RCPT from client.example.org[192.0.2.1]: 421 4.3.5 Server configuration error; from=<a@example.org> to=<b@example.com> proto=ESMTP helo=<client.example.org>"}},
		{name: "rcpt-rejected-by-smtpd", verdicts: map[string]string{"RCPT-REJECTED": "550 5.7.1 ignored"},
			lines:   []string{helo, mail, "RCPT TO:<x@elsewhere.example>"},
			replies: []string{"> RCPT TO:<x@elsewhere.example>", "454 4.7.1 <x@elsewhere.example>: Relay access denied"},
			events:  "CONNECT client.example.org 192.0.2.1|HELO client.example.org|MAIL <a@example.org>|RCPT-REJECTED <x@elsewhere.example>|ABORT|ABORT|DISC"},
		{name: "data-4xx", verdicts: map[string]string{"DATA": "451 4.7.1 not now"}, lines: []string{helo, mail, rcpt, "DATA"},
			replies: []string{"> DATA", "451 4.7.1 not now"},
			log:     []string{"QUEUEID: milter-reject: DATA from client.example.org[192.0.2.1]: 451 4.7.1 not now; from=<a@example.org> to=<b@example.com> proto=ESMTP helo=<client.example.org>"}},
		{name: "unknown", verdicts: map[string]string{"UNKNOWN": "502 5.5.1 nope"}, lines: []string{"FROB x"},
			replies: []string{"> FROB x", "502 5.5.1 nope"},
			log:     []string{"NOQUEUE: milter-reject: UNKNOWN from client.example.org[192.0.2.1]: 502 5.5.1 nope; proto=SMTP"},
			events:  "CONNECT client.example.org 192.0.2.1|UNKNOWN FROB|DISC"},
		{name: "vrfy-etrn", verdicts: map[string]string{"OTHER": "550 5.7.1 other"}, lines: []string{helo, "VRFY b@example.com", "ETRN example.com"},
			replies: []string{"> VRFY b@example.com", "550 5.7.1 other", "> ETRN example.com", "550 5.7.1 other"}},
		// RSET undoes the MAIL event; at the end the HELO is forgotten.
		{name: "rset-aborts", lines: []string{helo, mail, "RSET", "QUIT"},
			events: "CONNECT client.example.org 192.0.2.1|HELO client.example.org|MAIL <a@example.org>|ABORT|ABORT|DISC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fm := &fakeMilters{verdicts: tc.verdicts}
			replies, logs, _ := milterSession(t, baseParams(), fm, tc.lines)
			masked := make([]string, len(logs))
			for i, l := range logs {
				masked[i] = queueIDPattern.ReplaceAllString(l, "QUEUEID")
			}
			if !inOrder(replies, tc.replies) {
				t.Errorf("replies\n%s\nwant in order\n%s", strings.Join(replies, "\n"), strings.Join(tc.replies, "\n"))
			}
			if !inOrder(masked, tc.log) {
				t.Errorf("log\n%s\nwant in order\n%s", strings.Join(masked, "\n"), strings.Join(tc.log, "\n"))
			}
			if tc.events != "" && strings.Join(fm.events, "|") != tc.events {
				t.Errorf("events %s\nwant   %s", strings.Join(fm.events, "|"), tc.events)
			}
		})
	}
}

// inOrder reports whether want is a subsequence of got.
func inOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// TestMilterCleanupHandoff: the queue file gets the empty Milter list
// at the first recipient and the real one at DATA (before the flags and
// the content marker); after a Milter DISCARD at RCPT neither goes, and
// the flag does.
func TestMilterCleanupHandoff(t *testing.T) {
	lines := []string{"EHLO client.example.org", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.com>", "DATA"}
	for _, tc := range []struct {
		name     string
		verdicts map[string]string
		want     string
	}{
		{"plain", nil, "open flags=242|m 0|T|SEND|M"},
		{"hold", map[string]string{"RCPT": "H"}, "open flags=242|m 0|T|SEND|f 4|M"},
		{"discard", map[string]string{"RCPT": "D"}, "open flags=242|T|f 8|M"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fm := &fakeMilters{verdicts: tc.verdicts}
			_, _, q := milterSession(t, baseParams(), fm, lines)
			var got []string
			for _, r := range q.recs {
				switch {
				case strings.HasPrefix(r, "open "):
					got = append(got, "open "+r[strings.Index(r, "flags="):])
				case r == "SEND", strings.HasPrefix(r, "m "), strings.HasPrefix(r, "f "), r == "M ":
					got = append(got, strings.TrimSpace(r))
				case strings.HasPrefix(r, "T "):
					got = append(got, "T")
				}
			}
			if strings.Join(got, "|") != tc.want {
				t.Errorf("records %q, want %q", strings.Join(got, "|"), tc.want)
			}
		})
	}
}

func TestMilterMacros(t *testing.T) {
	p := baseParams()
	p["milter_macro_daemon_name"] = "mx.example.com"
	p["milter_macro_v"] = "Postfix 3.7.11"
	deps := newTestDeps(&msg.Capture{}, []string{"example.com"})
	server, client := net.Pipe()
	defer server.Close()
	defer client.Close()
	ss := NewSession(NewConfig(p), deps, server, Client{Name: "client.example.org", ReverseName: "other.example.org",
		Addr: "2001:db8::1", Port: "unknown", ServerAddr: "192.0.2.25", ServerPort: "25"})
	ss.connCount = 3
	sender, rcpt := `odd user@example.org`, "b@example.com"
	ss.check.sender = &sender
	ss.tls = &libtls.Info{Protocol: "TLSv1.3", Cipher: "TLS_AES_256_GCM_SHA384", Bits: 256, PeerCN: "peer", IssuerCN: "ca"}
	check := func(name, want string, wantOK bool) {
		t.Helper()
		if v, ok := ss.milterEval(name); v != want || ok != wantOK {
			t.Errorf("%s = %q %v, want %q %v", name, v, ok, want, wantOK)
		}
	}
	check("j", "mx.example.com", true)
	check("{daemon_name}", "mx.example.com", true)
	check("v", "Postfix 3.7.11", true)
	check("_", "other.example.org [2001:db8::1] (may be forged)", true)
	check("{client_addr}", "IPv6:2001:db8::1", true)
	check("{client_port}", "0", true)
	check("{client_connections}", "3", true)
	check("{client_resolve}", "OK", true)
	check("{daemon_addr}", "192.0.2.25", true)
	check("{tls_version}", "TLSv1.3", true)
	check("{cipher_bits}", "256", true)
	check("{cert_subject}", "", false) // not a trusted certificate
	check("i", "", false)
	check("{auth_type}", "", false)
	check("{mail_addr}", `"odd user"@example.org`, true)
	check("{mail_mailer}", "smtp", true)
	check("{rcpt_addr}", "", false)
	ss.check.recipient = &rcpt
	check("{rcpt_addr}", "b@example.com", true)
	check("{rcpt_mailer}", "local", true)
	ss.milterRejectText = "550 5.1.1 <b@example.com>: Recipient address rejected: User unknown"
	check("{rcpt_addr}", "Recipient address rejected: User unknown", true)
	check("{rcpt_host}", "5.1.1", true)
	check("{rcpt_mailer}", "error", true)
	check("{no_such_macro}", "", false)
	empty := ""
	ss.check.sender = &empty
	check("{mail_addr}", "", true)
}

package smtpd

import (
	"strings"
	"testing"
)

func TestWrapLine(t *testing.T) {
	long := strings.Repeat("x", 90)
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"short line", 78, []string{"short line"}},
		{"aaa bbb ccc", 7, []string{"aaa bbb", "    ccc"}},
		{"aaa bbb ccc ddd eee", 8, []string{"aaa bbb", "    ccc", "    ddd", "    eee"}},
		{long + " tail", 78, []string{long, "    tail"}},
		{"head " + long, 78, []string{"head", "    " + long}},
		{"trailing blanks   ", 78, []string{"trailing blanks"}},
		{"aaa    bbb", 5, []string{"aaa", "    bbb"}},
	}
	for _, tt := range tests {
		got := wrapLine(tt.in, tt.width, 4)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrapLine(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

// notice is one postmaster notice a session posted.
type notice struct {
	rcpt  string
	lines []string
}

// TestPostmasterNotices checks when a session mails its transcript and
// what the notice says: the error classes of notify_classes, the
// history flush at HELO/EHLO beyond smtpd_history_flush_threshold and
// at the end of the session.
func TestPostmasterNotices(t *testing.T) {
	head := []string{
		"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>",
		"To: Postmaster <postmaster>",
		"Subject: Postfix SMTP server: errors from c.example[127.0.0.1]",
		"", "Transcript of session follows.", "",
	}
	tail := []string{"", "", "For other details, see the local mail logfile"}
	body := func(transcript ...string) string {
		var l []string
		l = append(l, head...)
		for _, s := range transcript {
			l = append(l, " "+s)
		}
		return strings.Join(append(l, tail...), "\n")
	}
	tests := []struct {
		name, classes, threshold string
		lines                    []string
		want                     []string
	}{
		{"protocol error reported at the end", "protocol", "100",
			[]string{"HELO h.example", "FOO", "QUIT"},
			[]string{body("Out: 220 mx.example.com ESMTP Postfix", "In:  HELO h.example", "Out: 250 mx.example.com",
				"In:  FOO", "Out: 500 5.5.2 Error: command not recognized", "In:  QUIT", "Out: 221 2.0.0 Bye")}},
		{"class not in notify_classes", "resource, software", "100",
			[]string{"HELO h.example", "FOO", "QUIT"}, nil},
		{"no error", "policy, protocol, resource, software", "100",
			[]string{"HELO h.example", "QUIT"}, nil},
		{"history flushed at HELO beyond the threshold", "protocol", "2",
			[]string{"FOO", "HELO h.example", "QUIT"},
			[]string{body("Out: 220 mx.example.com ESMTP Postfix", "In:  FOO",
				"Out: 500 5.5.2 Error: command not recognized", "In:  HELO h.example")}},
		{"XFORWARD without authorization", "policy", "100",
			[]string{"HELO h.example", "XFORWARD NAME=x.example", "QUIT"},
			[]string{body("Out: 220 mx.example.com ESMTP Postfix", "In:  HELO h.example", "Out: 250 mx.example.com",
				"In:  XFORWARD NAME=x.example", "Out: 550 5.7.0 Error: insufficient authorization",
				"In:  QUIT", "Out: 221 2.0.0 Bye")}},
		{"XCLIENT syntax error", "protocol", "100",
			[]string{"HELO h.example", "XCLIENT", "QUIT"},
			[]string{body("Out: 220 mx.example.com ESMTP Postfix", "In:  HELO h.example", "Out: 250 mx.example.com",
				"In:  XCLIENT", "Out: 501 5.5.4 Syntax: XCLIENT attribute=value...",
				"In:  QUIT", "Out: 221 2.0.0 Bye")}},
		{"policy reject", "policy", "100",
			[]string{"HELO h.example", "MAIL FROM:<s@x.example>", "RCPT TO:<r@elsewhere.example>", "QUIT"},
			[]string{body("Out: 220 mx.example.com ESMTP Postfix", "In:  HELO h.example", "Out: 250 mx.example.com",
				"In:  MAIL FROM:<s@x.example>", "Out: 250 2.1.0 Ok", "In:  RCPT TO:<r@elsewhere.example>",
				"Out: 454 4.7.1 <r@elsewhere.example>: Relay access denied", "In:  QUIT", "Out: 221 2.0.0 Bye")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := baseParams()
			p["mynetworks"] = "192.0.2.0/24"
			p["notify_classes"] = tt.classes
			p["smtpd_history_flush_threshold"] = tt.threshold
			p["error_notice_recipient"] = "postmaster"
			p["bounce_notice_recipient"] = "bounce-admin"
			p["header_from_format"] = "standard"
			deps := newTestDeps(nil, []string{"mx.example.com"})
			var got []notice
			deps.Notify = func(rcpt string, lines []string) { got = append(got, notice{rcpt, lines}) }
			chat(t, p, deps, Client{Name: "c.example", Addr: "127.0.0.1", Port: "4000"}, tt.lines...)
			if len(got) != len(tt.want) {
				t.Fatalf("%d notices, want %d: %q", len(got), len(tt.want), got)
			}
			for i, n := range got {
				if n.rcpt != "postmaster" {
					t.Errorf("notice %d to %q, want postmaster", i, n.rcpt)
				}
				if g := strings.Join(n.lines, "\n"); g != tt.want[i] {
					t.Errorf("notice %d:\n%s\nwant:\n%s", i, g, tt.want[i])
				}
			}
		})
	}
}

// TestNoticeHeaders checks the From: and To: lines of both
// header_from_format styles and the recipient of a session with a
// bounce-class error (bounce_notice_recipient).
func TestNoticeHeaders(t *testing.T) {
	tests := []struct {
		format, classes string
		lines           []string
		rcpt, from, to  string
	}{
		{"standard", "protocol", []string{"FOO"}, "postmaster",
			"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>", "To: Postmaster <postmaster>"},
		{"obsolete", "protocol", []string{"FOO"}, "postmaster",
			"From: MAILER-DAEMON@mx.example.com (Mail Delivery System)", "To: postmaster (Postmaster)"},
		{"obsolete", "bounce", []string{"HELO h.example", "MAIL FROM:<s@x.example>", "RCPT TO:<u@mx.example.com>", "DATA",
			"Subject: big\r\n\r\n" + strings.Repeat("x", 200) + "\r\n."}, "bounce-admin",
			"From: MAILER-DAEMON@mx.example.com (Mail Delivery System)", "To: postmaster (Postmaster)"},
	}
	for _, tt := range tests {
		p := baseParams()
		p["notify_classes"] = tt.classes
		p["smtpd_history_flush_threshold"] = "100"
		p["error_notice_recipient"] = "postmaster"
		p["bounce_notice_recipient"] = "bounce-admin"
		p["header_from_format"] = tt.format
		p["message_size_limit"] = "100"
		deps := newTestDeps(nil, []string{"mx.example.com"})
		var got []notice
		deps.Notify = func(rcpt string, lines []string) { got = append(got, notice{rcpt, lines}) }
		chat(t, p, deps, Client{Name: "c.example", Addr: "127.0.0.1", Port: "4000"}, append(tt.lines, "QUIT")...)
		if len(got) != 1 {
			t.Errorf("%s %s: %d notices, want 1", tt.format, tt.classes, len(got))
			continue
		}
		if got[0].rcpt != tt.rcpt || got[0].lines[0] != tt.from || got[0].lines[1] != tt.to {
			t.Errorf("%s %s: to %q, headers %q, want %q %q %q", tt.format, tt.classes, got[0].rcpt, got[0].lines[:2], tt.rcpt, tt.from, tt.to)
		}
	}
}

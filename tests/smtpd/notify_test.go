package smtpd

import (
	"bufio"
	"net"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/smtpd/notices"
)

// Ports of TestPostmasterNotices (the task's range 35000-35499): the
// real smtpd and ours.
const (
	notifyRealPort = "35001"
	notifyOurPort  = "35002"
	// The same with a cleanup service that does not exist (and no
	// restriction classes: the real smtpd opens their tables when it
	// starts, ours when a class is first used, which logs differently
	// for n_soft's missing table).
	noCleanupRealPort = "35003"
	noCleanupOurPort  = "35004"
)

// notifyMainCF reports every class a session can have and sends the
// notices to the local test user; n_soft is a restriction class whose
// table cannot be opened (a software error).
const notifyMainCF = `notify_classes = policy, protocol, resource, software
error_notice_recipient = pfxtest
smtpd_restriction_classes = n_soft
n_soft = check_client_access hash:@ROOT@/etc/missing
n_rcpt = check_recipient_access inline:{{bad@mx.example.com=REJECT}, {soft@mx.example.com=n_soft}}, permit_mynetworks, reject_unauth_destination
`

// notifyOpts are the -o overrides both smtpd services get: a client
// outside mynetworks, a short history and a low hard error limit.
const notifyOpts = " -o mynetworks=192.0.2.0/24 -o smtpd_recipient_restrictions=$n_rcpt" +
	" -o smtpd_history_flush_threshold=7 -o smtpd_hard_error_limit=4\n"

// notifySessions are the client sides of the sessions; "<close>" ends
// a session without QUIT.
var notifySessions = [][]string{
	{"EHLO client.example", "FOO", "MAIL FROM:bad syntax <", "QUIT"},
	{"HELO", "HELO client.example", "QUIT"},
	{"EHLO client.example", "MAIL FROM:<s@example.org>", "RCPT TO:<x@elsewhere.example>", "RCPT TO:<bad@mx.example.com>", "QUIT"},
	{"FOO", "NOOP", "NOOP", "HELO client.example", "BAR", "QUIT"},
	{"EHLO client.example", "FOO", "FOO", "FOO", "FOO", "FOO"},
	{"EHLO client.example", "BAR", "<close>"},
	{"HELO client.example", "XYZZY " + strings.Repeat("word ", 30) + "\x01\x7f end", "QUIT"},
	{"EHLO client.example", "MAIL FROM:<s@example.org>", "RCPT TO:<soft@mx.example.com>", "QUIT"},
	{"FOO", "EHLO client.example", "MAIL FROM:<s@example.org>", "RCPT TO:<pfxtest@mx.example.com>", "DATA",
		"Subject: accepted\r\n\r\nbody\r\n.", "QUIT"},
	{"EHLO client.example", "NOOP", "QUIT"},
}

// notifyNotices is how many notices notifySessions cause: one for each
// session with errors, two for the one whose HELO flushes a history
// longer than the threshold, none for the one whose accepted message
// clears the error and none for the one without errors.
const notifyNotices = 9

// TestPostmasterNotices compares the postmaster notices of the real
// smtpd and ours (notify_classes with every class the SMTP server
// reports): the same sessions are run against the real smtpd and then
// against ours, and the notices each side's sessions leave in the
// postmaster's mailbox are compared, queue IDs and dates masked. A
// session with an error on a pair of services whose cleanup service
// does not exist gives no notice and the same log lines on both sides.
func TestPostmasterNotices(t *testing.T) {
	bin := ourBinaries(t)
	in := newInstance(t, notifyMainCF,
		"127.0.0.1:"+notifyRealPort+" inet n - n - - smtpd"+notifyOpts+
			"127.0.0.1:"+notifyOurPort+" inet n - n - - gosmtpd"+notifyOpts+
			"127.0.0.1:"+noCleanupRealPort+" inet n - n - - smtpd -o cleanup_service_name=nocleanup -o smtpd_restriction_classes=\n"+
			"127.0.0.1:"+noCleanupOurPort+" inet n - n - - gosmtpd -o cleanup_service_name=nocleanup -o smtpd_restriction_classes=\n",
		map[string]string{"gosmtpd": filepath.Join(bin, "smtpd")}, nil)
	side := func(port string, before int) []string {
		for _, s := range notifySessions {
			if err := notifySession("127.0.0.1:"+port, s); err != nil {
				t.Fatalf("port %s: %v\n%s", port, err, in.maillog())
			}
		}
		want := before + notifyNotices
		if !waitFor(30*time.Second, func() bool { return len(notices.Find(in.Mailbox(testUser))) >= want }) {
			t.Errorf("port %s: %d notices, want %d", port, len(notices.Find(in.Mailbox(testUser)))-before, notifyNotices)
		}
		return notices.Find(in.Mailbox(testUser))[before:]
	}
	real := side(notifyRealPort, 0)
	ours := side(notifyOurPort, len(real))
	sort.Strings(real)
	sort.Strings(ours)
	if r, o := strings.Join(real, "\n====\n"), strings.Join(ours, "\n====\n"); r != o {
		t.Errorf("notices differ\n--- real\n%s\n--- ours\n%s", r, o)
	}

	noCleanup := func(port, prog string) []string {
		w := newLogWatch(in.path("log/maillog"))
		if err := notifySession("127.0.0.1:"+port, []string{"FOO", "QUIT"}); err != nil {
			t.Fatalf("port %s: %v", port, err)
		}
		return w.lines(prog)
	}
	realLog, ourLog := noCleanup(noCleanupRealPort, "smtpd"), noCleanup(noCleanupOurPort, "gosmtpd")
	if r, o := strings.Join(realLog, "\n"), strings.Join(ourLog, "\n"); r != o || !strings.Contains(r, "postmaster notify: ") {
		t.Errorf("without cleanup, log lines differ or lack the warning\n--- real\n%s\n--- ours\n%s", r, o)
	}
	if n := len(notices.Find(in.Mailbox(testUser))); n != 2*notifyNotices {
		t.Errorf("%d notices after the sessions without cleanup, want %d", n, 2*notifyNotices)
	}
}

// notifySession plays one session: each line is sent after the reply
// to the previous one; a server hang-up ends it.
func notifySession(addr string, lines []string) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(conn)
	reply := func() bool {
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return false
			}
			if len(l) < 4 || l[3] != '-' {
				return true
			}
		}
	}
	if !reply() {
		return nil
	}
	for _, l := range lines {
		if l == "<close>" {
			return nil
		}
		if _, err := conn.Write([]byte(l + "\r\n")); err != nil {
			return nil
		}
		if l == "DATA" || !reply() {
			continue
		}
	}
	// Wait for the server to end the session.
	r.ReadString('\n')
	return nil
}

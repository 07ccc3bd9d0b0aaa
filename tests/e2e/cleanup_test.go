package e2e

import (
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// rejectMain makes cleanup reject content and over-size mail.
const rejectMain = `header_checks = regexp:@ROOT@/etc/header_checks
body_checks = regexp:@ROOT@/etc/body_checks
message_size_limit = 4000
`

var rejectFiles = map[string]string{
	"etc/header_checks": "/^Subject: reject-me/ REJECT bad subject here\n/^Subject: plain-reject/ REJECT\n",
	"etc/body_checks":   "/^body-reject-line/ REJECT 5.7.1 body rejected\n",
}

// rejectMessages are rejected by cleanup; the sender (nobody) gets the
// notices.
var rejectMessages = []message{
	{[]string{"-f", "nobody@mx.delivspec.example", "daemon", "bin"}, "Subject: reject-me\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "-N", "delay,failure", "-V", "envid-1", "daemon"}, "Subject: body\n\nfirst\nbody-reject-line here\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "-R", "full", "daemon"}, "Subject: plain-reject\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "daemon"}, "Subject: too big\n\n" + strings.Repeat("0123456789012345678901234567890123456789\n", 88)},
}

// runReject submits the rejected messages and returns the notices and
// the log lines of cleanup and bounce.
func runReject(t *testing.T, allOurs bool, port, main string, files map[string]string, msgs []message) map[string]string {
	in := newInstance(t, allOurs, port, instance.FastRetryCF, main, files)
	for _, m := range msgs {
		notices := func() int { return strings.Count("\n"+in.Mailbox("nobody"), "\nFrom MAILER-DAEMON ") }
		before := notices()
		in.Send(m.text, m.args...)
		if !in.WaitFor(30*time.Second, func() bool {
			return notices() > before && len(in.Queued(instance.MailQueues...)) == 0
		}) {
			t.Fatalf("no notice for %v:\n%s", m.args, in.Maillog())
		}
	}
	if in.Mailbox("daemon") != "" || in.Mailbox("bin") != "" {
		t.Errorf("rejected mail was delivered")
	}
	out := map[string]string{"spool/nobody": in.Mask(in.Mailbox("nobody"))}
	for _, p := range []string{"cleanup", "bounce", "pickup"} {
		out["maillog("+p+")"] = strings.Join(in.LogSet(p), "\n")
	}
	if allOurs {
		if other := in.NotOurs(); len(other) > 0 {
			t.Errorf("not our programs: %v", other)
		}
	}
	return out
}

// TestCleanupBounce: mail submitted with sendmail that cleanup rejects
// (header and body checks, size limit) is returned to the sender by
// cleanup through the bounce service, as the real cleanup does.
func TestCleanupBounce(t *testing.T) {
	var want, got map[string]string
	side(t, func(t *testing.T) { want = runReject(t, false, "24032", rejectMain, rejectFiles, rejectMessages) },
		func(t *testing.T) { got = runReject(t, true, "24031", rejectMain, rejectFiles, rejectMessages) })
	if !strings.Contains(want["spool/nobody"], "Undelivered Mail Returned to Sender") {
		t.Fatalf("the real instance sent no notice:\n%s", want["spool/nobody"])
	}
	instance.CompareMaps(t, got, want)
}

// strictMain turns on every strict MIME check, with a low nesting limit.
const strictMain = `strict_7bit_headers = yes
strict_8bitmime_body = yes
strict_mime_encoding_domain = yes
mime_nesting_limit = 1
`

// strictMessages each break one MIME rule.
var strictMessages = []message{
	{[]string{"-f", "nobody@mx.delivspec.example", "daemon"}, "Subject: b\xc3\xb6se\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "daemon"}, "Subject: body\n\nb\xc3\xb6dy in 7bit\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "daemon"}, "Subject: domain\nContent-Type: multipart/mixed; boundary=b\nContent-Transfer-Encoding: base64\n\n--b\n\nx\n--b--\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "daemon"}, "Subject: nesting\nContent-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/mixed; boundary=c\n\n--c\nContent-Type: multipart/mixed; boundary=d\n\n--d\n\ndeep\n--d--\n--c--\n--b--\n--a--\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "daemon"}, "Subject: partial\nContent-Type: message/partial; id=x\nContent-Transfer-Encoding: 8bit\n\nSubject: inside\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "daemon"}, "Subject: part\nContent-Type: multipart/mixed; boundary=p\n\n--p\nContent-Type: text/plain\n\nb\xc3\xb6dy in a 7bit part\n--p--\n"},
}

// TestStrictMIME: the strict_* MIME checks reject what the real cleanup
// rejects, with the same log lines and notices.
func TestStrictMIME(t *testing.T) {
	var want, got map[string]string
	side(t, func(t *testing.T) { want = runReject(t, false, "24034", strictMain, nil, strictMessages) },
		func(t *testing.T) { got = runReject(t, true, "24033", strictMain, nil, strictMessages) })
	if !strings.Contains(want["maillog(cleanup)"], "mime-error") {
		t.Fatalf("the real cleanup rejected nothing:\n%s", want["maillog(cleanup)"])
	}
	instance.CompareMaps(t, got, want)
}

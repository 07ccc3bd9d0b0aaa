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
func runReject(t *testing.T, allOurs bool, port string) map[string]string {
	in := newInstance(t, allOurs, port, instance.FastRetryCF, rejectMain, rejectFiles)
	for _, m := range rejectMessages {
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
	side(t, func(t *testing.T) { want = runReject(t, false, "24032") },
		func(t *testing.T) { got = runReject(t, true, "24031") })
	if !strings.Contains(want["spool/nobody"], "Undelivered Mail Returned to Sender") {
		t.Fatalf("the real instance sent no notice:\n%s", want["spool/nobody"])
	}
	compareMaps(t, got, want)
}

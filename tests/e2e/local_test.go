package e2e

import (
	"os"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// localFiles configure aliases, an :include: list and a .forward file
// that keeps a copy and writes to a Maildir.
var localFiles = map[string]string{
	"etc/aliases": `postmaster: root
root: nobody
alist: nobody, bin
owner-alist: nobody
inc: :include:@ROOT@/etc/inc.list
`,
	"etc/inc.list":    "daemon\n",
	"fwd/bin.forward": "\\bin, @ROOT@/maildir/bin/\n",
}

// localMessages are submitted with sendmail, one at a time.
var localMessages = []message{
	{[]string{"-f", "alice@remote.example", "nobody"}, "Subject: mbox\n\nFrom the start of a line\nbody\n"},
	{[]string{"-f", "alice@remote.example", "bin"}, "Subject: forward to maildir\n\nbody\n"},
	{[]string{"-f", "alice@remote.example", "alist", "inc"}, "Subject: aliases\n\nlist body\n"},
	{[]string{"-f", "alice@remote.example", "root@localhost"}, "Subject: to root\n\nbody\n"},
	{[]string{"-t", "-f", "alice@remote.example"}, "To: daemon, \"Some One\" <nobody@mx.delivspec.example>\nBcc: bin\nSubject: extracted\n\nbody\n"},
	{[]string{"-f", "nobody@mx.delivspec.example", "-N", "failure", "nosuchuser"}, "Subject: to unknown\n\nbody\n"},
}

// runLocal delivers localMessages, one message over SMTP and one to a
// mailbox whose lock is held for a while (deferred, then retried), and
// returns what the instance delivered and logged.
func runLocal(t *testing.T, allOurs bool, port string) map[string]string {
	in := newInstance(t, allOurs, port, instance.FastRetryCF, "deliver_lock_attempts = 2\ndeliver_lock_delay = 1s\n", localFiles)
	os.MkdirAll(in.Path("maildir"), 0755)
	os.Chown(in.Path("maildir"), 2, 2) // bin
	sendEach(t, in, localMessages)

	session := smtpSession(t, port, "carol@remote.example", []string{"daemon@localhost", "nosuchuser@localhost"},
		"Subject: over SMTP\n\n.leading dot\nbody\n")
	if !in.WaitQueueEmpty(30*time.Second) || !in.WaitMailbox(10*time.Second, "daemon", "Subject: over SMTP") {
		t.Fatalf("SMTP mail not delivered (%v):\n%s", session, in.Maillog())
	}

	// A held mailbox lock defers the delivery; the retry delivers it.
	in.Write("spool/sys.lock", "")
	in.Send("Subject: retried\n\nbody\n", "-f", "alice@remote.example", "sys")
	if !in.WaitLog(30*time.Second, "status=deferred") {
		t.Fatalf("not deferred:\n%s", in.Maillog())
	}
	os.Remove(in.Path("spool/sys.lock"))
	retried := in.WaitMailbox(20*time.Second, "sys", "Subject: retried")
	if !retried && strings.Contains(in.Maillog(), "skipped, still being delivered") {
		// qmgr met the file while the agent still held it and put it
		// back for 60 seconds (the real one does this under load too).
		in.Postqueue("-f")
		retried = in.WaitMailbox(30*time.Second, "sys", "Subject: retried")
	}
	if !retried || !in.WaitQueueEmpty(10*time.Second) {
		t.Fatalf("deferred mail was not retried:\n%s", in.Maillog())
	}

	if allOurs {
		if other := in.NotOurs(); len(other) > 0 {
			t.Errorf("not our programs: %v", other)
		}
	}
	out := collect(in, "spool", "maildir")
	out["smtp session"] = strings.Join(session, "\n")
	for _, p := range []string{"local", "bounce", "qmgr", "cleanup", "pickup", "smtpd", "error"} {
		var lines []string
		for _, l := range in.LogSet(p) {
			// Timing (see the retry above), not behaviour: either side
			// may or may not meet the file while local holds it.
			if !strings.Contains(l, "skipped, still being delivered") {
				lines = append(lines, l)
			}
		}
		out["maillog("+p+")"] = strings.Join(lines, "\n")
	}
	if strings.Contains(in.Maillog(), "fatal:") || strings.Contains(in.Maillog(), "panic:") {
		t.Errorf("errors in the log:\n%s", in.Maillog())
	}
	return out
}

// TestLocalDelivery runs the local delivery scenario on an all-real and
// an all-ours instance at the same time and compares the results.
func TestLocalDelivery(t *testing.T) {
	var want, got map[string]string
	side(t, func(t *testing.T) { want = runLocal(t, false, "24026") },
		func(t *testing.T) { got = runLocal(t, true, "24025") })
	if !strings.Contains(want["spool/nobody"], "Undelivered Mail Returned to Sender") {
		t.Fatalf("the real instance sent no bounce:\n%s", want["spool/nobody"])
	}
	instance.CompareMaps(t, got, want)
}

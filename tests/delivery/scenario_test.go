package delivery

import (
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// scenario runs the standard delivery cases on in and returns the
// normalized log lines of the delivery side.
func scenario(t *testing.T, in *instance.Instance) []string {
	t.Helper()
	send(in, "to a mailbox", "daemon")
	send(in, "to nobody", "nosuchuser")
	send(in, "discarded", "x@discard.example")
	send(in, "deferred", "someone@defer.example")
	send(in, "held", "daemon@later.example")

	if !waitFor(20*time.Second, func() bool { return strings.Contains(in.Mailbox("daemon"), "Subject: to a mailbox") }) {
		t.Fatalf("local delivery did not happen:\n%s", in.Maillog())
	}
	if !waitFor(20*time.Second, func() bool {
		return strings.Contains(in.Mailbox("root"), "Subject: Undelivered Mail Returned to Sender")
	}) {
		t.Fatalf("no bounce for the unknown user:\n%s", in.Maillog())
	}
	if !waitFor(20*time.Second, func() bool { return strings.Contains(in.Maillog(), "status=sent (gone for good)") }) {
		t.Fatalf("no discard:\n%s", in.Maillog())
	}
	// The two deferred messages are retried (queue_run_delay 2s).
	if !waitFor(20*time.Second, func() bool {
		return strings.Count(in.Maillog(), "status=deferred (simulated deferral)") >= 2 &&
			strings.Count(in.Maillog(), "status=deferred (not yet)") >= 2
	}) {
		t.Fatalf("deferred mail was not retried:\n%s", in.Maillog())
	}
	held := idOf(t, in, "status=deferred (not yet)")
	in.Postsuper("-h", held)
	if ids := in.Queued("hold"); len(ids) != 1 || ids[0] != held {
		t.Fatalf("hold queue: %v", ids)
	}
	// The destination comes back; held mail stays where it is.
	in.Write("etc/transport", strings.Replace(baseTransport, "later.example retry:4.4.1 not yet", "later.example local:", 1))
	in.Reload()
	time.Sleep(2 * time.Second)
	in.Postqueue("-f")
	time.Sleep(2 * time.Second)
	if strings.Contains(in.Mailbox("daemon"), "Subject: held") {
		t.Fatalf("held mail was delivered")
	}
	in.Postsuper("-H", held)
	in.Postqueue("-f")
	if !waitFor(20*time.Second, func() bool { return strings.Contains(in.Mailbox("daemon"), "Subject: held") }) {
		t.Fatalf("released mail was not delivered:\n%s", in.Maillog())
	}
	if strings.Count(in.Mailbox("daemon"), "Subject: held") != 1 || strings.Count(in.Mailbox("daemon"), "Subject: to a mailbox") != 1 {
		t.Fatalf("duplicate deliveries:\n%s", in.Mailbox("daemon"))
	}
	if !waitFor(10*time.Second, func() bool { return len(in.Queued("active", "incoming")) == 0 }) {
		t.Fatalf("queue not drained: %v", in.Queued("active", "incoming"))
	}
	return normalize(in)
}

// normalize keeps the log lines of the programs this package
// reproduces and of local (whose lines carry qmgr's time stamps).
func normalize(in *instance.Instance) []string {
	return in.LogSet("qmgr", "error", "discard", "local")
}

// idOf returns the queue ID of the first log line containing text.
func idOf(t *testing.T, in *instance.Instance, text string) string {
	t.Helper()
	id := in.QueueIDOf(text)
	if id == "" {
		t.Fatalf("no log line with %q", text)
	}
	return id
}

// TestSwaps runs the scenario on an all-real instance and on instances
// with one of our daemons, and compares the delivery log lines.
func TestSwaps(t *testing.T) {
	var want []string
	t.Run("real", func(t *testing.T) {
		want = scenario(t, newInstance(t, ""))
	})
	if want == nil {
		t.Fatal("the all-real reference run failed")
	}
	for _, d := range ourPrograms {
		t.Run(d, func(t *testing.T) {
			got := scenario(t, newInstance(t, "", d))
			t.Logf("%d normalized log lines:\n%s", len(got), strings.Join(got, "\n"))
			if diff := instance.SetDiff(want, got); diff != "" {
				t.Errorf("log lines differ from the real Postfix (- real, + ours):\n%s", diff)
			}
		})
	}
}

package e2e

import (
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// slowRetry keeps deferred mail in the queue until it is flushed.
const slowRetry = `queue_run_delay = 1h
minimal_backoff_time = 1h
maximal_backoff_time = 1h
`

var queueLine = regexp.MustCompile(`(?m)^([0-9A-F]{10,12})([*!]?) +(\d+) (.*)$`)

// runQueue defers two messages (their mailbox is locked), holds one
// with postsuper -h, flushes with postqueue -f (only the other is
// delivered), releases it with postsuper -H and flushes again. It
// returns the mailbox, the postqueue -p listings and the log lines.
func runQueue(t *testing.T, allOurs bool, port string) map[string]string {
	start := time.Now()
	step := func(what string) { t.Logf("%v %s", time.Since(start), what) }
	in := newInstance(t, allOurs, port, slowRetry, "deliver_lock_attempts = 2\ndeliver_lock_delay = 1s\n", nil)
	out := map[string]string{}
	listing := func(name string) {
		// Entries are listed in queue directory order, which depends
		// on the queue IDs.
		text := queueLine.ReplaceAllString(in.Postqueue("-p"), "ID$2 $3 DATE")
		head, rest, _ := strings.Cut(text, "\n")
		entries := strings.Split(rest, "\n\n")
		sort.Strings(entries)
		out["postqueue -p "+name] = in.Mask(head + "\n" + strings.Join(entries, "\n\n"))
	}
	in.Write("spool/daemon.lock", "")
	in.Send("Subject: flushed\n\nbody\n", "-f", "alice@remote.example", "daemon")
	in.Send("Subject: held\n\nbody\n", "-f", "bob@remote.example", "daemon")
	if !in.WaitFor(30*time.Second, func() bool { return strings.Count(in.Maillog(), "status=deferred") == 2 }) {
		t.Fatalf("not deferred:\n%s", in.Maillog())
	}
	if !in.WaitFor(10*time.Second, func() bool { return len(in.Queued("deferred")) == 2 }) {
		t.Fatalf("deferred queue: %v", in.Queued("deferred"))
	}
	step("deferred")
	listing("deferred")
	held := idOf(t, in, "from=<bob@remote.example>")
	out["postsuper -h"] = in.Mask(in.Postsuper("-h", held))
	if ids := in.Queued("hold"); !slices.Equal(ids, []string{held}) {
		t.Fatalf("hold queue: %v, want %s", ids, held)
	}
	listing("held")
	os.Remove(in.Path("spool/daemon.lock"))
	time.Sleep(2 * time.Second)
	if strings.Contains(in.Mailbox("daemon"), "Subject:") {
		t.Fatalf("delivered before the flush:\n%s", in.Mailbox("daemon"))
	}
	step("flush")
	in.Postqueue("-f")
	if !in.WaitMailbox(30*time.Second, "daemon", "Subject: flushed") {
		t.Fatalf("postqueue -f did not deliver:\n%s", in.Maillog())
	}
	time.Sleep(time.Second)
	if strings.Contains(in.Mailbox("daemon"), "Subject: held") {
		t.Fatalf("held mail was delivered")
	}
	out["postsuper -H"] = in.Mask(in.Postsuper("-H", held))
	if ids := in.Queued("deferred"); !slices.Equal(ids, []string{held}) {
		t.Fatalf("deferred queue after release: %v, want %s", ids, held)
	}
	in.Postqueue("-f")
	if !in.WaitMailbox(30*time.Second, "daemon", "Subject: held") || !in.WaitQueueEmpty(10*time.Second) {
		t.Fatalf("released mail was not delivered:\n%s", in.Maillog())
	}
	step("done")
	listing("empty")
	out["spool/daemon"] = in.Mask(in.Mailbox("daemon"))
	for _, p := range []string{"local", "qmgr", "postsuper"} {
		out["maillog("+p+")"] = strings.Join(in.LogSet(p), "\n")
	}
	if allOurs {
		if other := in.NotOurs(); len(other) > 0 {
			t.Errorf("not our programs: %v", other)
		}
	}
	return out
}

// TestQueueManagement runs the hold/release/flush scenario on an
// all-real and an all-ours instance and compares the results.
func TestQueueManagement(t *testing.T) {
	var want, got map[string]string
	side(t, func(t *testing.T) { want = runQueue(t, false, "24028") },
		func(t *testing.T) { got = runQueue(t, true, "24027") })
	instance.CompareMaps(t, got, want)
}

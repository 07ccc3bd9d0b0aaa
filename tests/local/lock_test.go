package local_test

import (
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// runLocked delivers to a mailbox whose dot-lock is held: the message
// must be deferred (4.2.0), then delivered once the lock is gone.
func runLocked(t *testing.T, ours map[string]string) map[string]string {
	in := instance.New(t, instance.Local("deliver_lock_attempts = 2\ndeliver_lock_delay = 1s\n", files, ours))
	in.Write("spool/nobody.lock", "")
	in.Send("Subject: locked\n\nbody\n", "-f", "alice@remote.example", "nobody")
	if !instance.WaitFor(30*time.Second, func() bool { return strings.Contains(in.Maillog(), "status=deferred") }) {
		t.Fatalf("not deferred:\n%s", in.Maillog())
	}
	if _, err := os.Stat(in.Path("spool/nobody")); err == nil {
		data, _ := os.ReadFile(in.Path("spool/nobody"))
		if len(data) > 0 {
			t.Errorf("mailbox written while locked: %q", data)
		}
	}
	os.Remove(in.Path("spool/nobody.lock"))
	in.Postqueue("-f")
	if !in.WaitQueueEmpty(30*time.Second) ||
		!instance.WaitFor(10*time.Second, func() bool { return strings.Contains(in.Maillog(), "status=sent") }) {
		t.Fatalf("not delivered after unlock:\n%s", in.Maillog())
	}
	var lines []string
	for _, l := range strings.Split(in.Maillog(), "\n") {
		if strings.Contains(l, "postfix/local[") {
			lines = append(lines, instance.Mask(l, in.Root))
		}
	}
	sort.Strings(lines)
	data, _ := os.ReadFile(in.Path("spool/nobody"))
	return map[string]string{"maillog(local)": strings.Join(lines, "\n"),
		"spool/nobody": instance.Mask(string(data), in.Root)}
}

func TestLockedMailboxDefers(t *testing.T) {
	want := runLocked(t, nil)
	got := runLocked(t, ours.Map(t))
	if !strings.Contains(want["maillog(local)"], "dsn=4.2.0, status=deferred") {
		t.Fatalf("real instance did not defer: %s", want["maillog(local)"])
	}
	compare(t, got, want, 2)
}

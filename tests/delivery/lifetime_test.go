package delivery

import (
	"os"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/record"
	"gopostfix/tests/internal/instance"
)

// lifetimes runs the expiry, delay warning and corrupt file cases.
func lifetimes(t *testing.T, in *instance.Instance) []string {
	t.Helper()
	send(in, "expiring", "someone@defer.example")
	if !waitFor(30*time.Second, func() bool { return strings.Contains(in.Maillog(), "status=expired, returned to sender") }) {
		t.Fatalf("message did not expire:\n%s", in.Maillog())
	}
	if !waitFor(20*time.Second, func() bool {
		box := in.Mailbox("root")
		return strings.Contains(box, "Subject: Delayed Mail (still being retried)") &&
			strings.Contains(box, "Subject: Undelivered Mail Returned to Sender")
	}) {
		t.Fatalf("no delay warning and non-delivery notice:\n%s", in.Maillog())
	}
	if strings.Count(in.Mailbox("root"), "Subject: Delayed Mail") != 1 {
		t.Fatalf("more than one delay warning:\n%s", in.Mailbox("root"))
	}

	// Damaged files in the incoming queue go to corrupt/.
	uid := instance.UserID(t, "postfix")
	var trunc []byte
	trunc = record.Append(trunc, record.Size, []byte(record.SizeInfo{ContentSize: 10, DataOffset: 200, RcptCount: 1}.Format()))
	trunc = record.Append(trunc, record.Time, []byte("1795960000 0"))
	for name, data := range map[string][]byte{"ABCDEF12345": []byte("garbage\n"), "BCDEF123456": trunc} {
		p := in.Path("queue/incoming/" + name)
		if err := os.WriteFile(p, data, 0700); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, 0700)
		os.Chown(p, uid, -1)
	}
	in.Postqueue("-f")
	// The files are moved before the last warning reaches the log.
	if !waitFor(20*time.Second, func() bool {
		return len(in.Queued("corrupt")) == 2 && strings.Count(in.Maillog(), "saving corrupt file") == 2
	}) {
		t.Fatalf("corrupt files not saved: %v\n%s", in.Queued("corrupt"), in.Maillog())
	}
	return normalize(in)
}

// TestLifetimes compares expiry, delay warnings and corrupt file
// handling of our qmgr with the real one.
func TestLifetimes(t *testing.T) {
	const extra = "maximal_queue_lifetime = 5s\nbounce_queue_lifetime = 5s\ndelay_warning_time = 1s\n"
	want := lifetimes(t, newInstance(t, extra))
	got := lifetimes(t, newInstance(t, extra, "qmgr"))
	t.Logf("%d normalized log lines:\n%s", len(got), strings.Join(got, "\n"))
	if diff := instance.SetDiff(want, got); diff != "" {
		t.Errorf("log lines differ from the real Postfix (- real, + ours):\n%s", diff)
	}
}

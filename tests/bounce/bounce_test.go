// Package bounce_test swaps our bounce(8) into an otherwise real Postfix
// instance and compares the notices it sends (non-delivery, delay
// warning, postmaster copies) with those of an all-real instance.
package bounce_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// extra makes delay warnings and postmaster copies happen quickly.
const extra = `delay_warning_time = 1s
maximal_queue_lifetime = 1h
bounce_notice_recipient = bin
delay_notice_recipient = bin
notify_classes = bounce, delay, resource, software
`

var files = map[string]string{
	"etc/transport": "defer.example retry:4.4.1 simulated deferral\n",
}

// run sends a bounce and a deferral; it returns the mailboxes of the
// sender (nobody) and of the postmaster copies (bin), masked.
func run(t *testing.T, ours map[string]string) map[string]string {
	in := instance.New(t, instance.Local(extra, files, ours))
	in.Send("Subject: to unknown\n\nbody\n", "-f", "nobody@mx.delivspec.example", "nosuchuser")
	if !in.WaitQueueEmpty(30 * time.Second) {
		t.Fatalf("bounce not done:\n%s", in.Maillog())
	}
	in.Send("Subject: deferred\n\nbody\n", "-f", "nobody@mx.delivspec.example", "someone@defer.example")
	ok := instance.WaitFor(30*time.Second, func() bool {
		return strings.Contains(in.Maillog(), "sender delay notification")
	})
	if !ok {
		t.Fatalf("no delay warning:\n%s", in.Maillog())
	}
	instance.WaitFor(10*time.Second, func() bool {
		return strings.Count(readFile(in.Path("spool/bin")), "\nFrom ")+1 >= 2 &&
			strings.Count(readFile(in.Path("spool/nobody")), "From MAILER-DAEMON") >= 2
	})
	out := map[string]string{}
	for _, u := range []string{"nobody", "bin"} {
		out[u] = instance.Mask(readFile(in.Path("spool/"+u)), in.Root)
	}
	var lines []string
	for _, l := range strings.Split(in.Maillog(), "\n") {
		if strings.Contains(l, "postfix/bounce[") {
			lines = append(lines, instance.Mask(l, in.Root))
		}
	}
	out["maillog(bounce)"] = strings.Join(lines, "\n")
	return out
}

func readFile(p string) string {
	data, _ := os.ReadFile(p)
	return string(data)
}

func TestBounceAgainstReal(t *testing.T) {
	want := run(t, nil)
	got := run(t, ours.Map(t))
	if !strings.Contains(want["nobody"], "Undelivered Mail Returned to Sender") ||
		!strings.Contains(want["nobody"], "Delayed Mail (still being retried)") {
		t.Fatalf("the real instance did not send both notices:\n%s", want["nobody"])
	}
	for name, w := range want {
		if g := got[name]; g != w {
			t.Errorf("%s differs.\nours:\n%s\nreal:\n%s", name, g, w)
		}
	}
}

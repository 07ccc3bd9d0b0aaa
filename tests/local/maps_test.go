package local_test

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// userMapsCF points local's per-user tables at texthash files.
const userMapsCF = `mailbox_transport_maps = texthash:@ROOT@/etc/mbox_transport
mailbox_command_maps = texthash:@ROOT@/etc/mbox_command
fallback_transport_maps = texthash:@ROOT@/etc/fallback_transport
`

// userMapsFiles are the aliases of the main test plus the three tables:
// daemon's mailbox is an error transport, nobody's a command, and the
// unknown user ghost goes to an error transport of its own.
func userMapsFiles() map[string]string {
	f := maps.Clone(files)
	f["etc/mbox_transport"] = "daemon error:5.2.1 mailbox of daemon is closed\n"
	f["etc/mbox_command"] = "nobody /bin/sh -c \"cat > @ROOT@/out/cmd.$USER\"\n"
	f["etc/fallback_transport"] = "ghost retry:ghost is away\n"
	return f
}

// TestUserMapsAgainstReal: mailbox_transport_maps, mailbox_command_maps
// and fallback_transport_maps send each recipient where the real local
// sends it, with the same deliveries, notices and log lines; users the
// tables do not list fall through to the usual mailbox and unknown-user
// handling.
func TestUserMapsAgainstReal(t *testing.T) {
	msgs := []struct {
		args []string
		text string
	}{
		{[]string{"-f", "nobody@mx.delivspec.example", "daemon"}, "Subject: to a closed mailbox\n\nbody\n"},
		{[]string{"-f", "alice@remote.example", "nobody"}, "Subject: to a command\n\nbody\n"},
		{[]string{"-f", "alice@remote.example", "bin"}, "Subject: not listed\n\nbody\n"},
		{[]string{"-f", "nobody@mx.delivspec.example", "nosuchuser"}, "Subject: unknown\n\nbody\n"},
	}
	side := func(ours map[string]string) (map[string]string, string) {
		in := instance.New(t, instance.Local(userMapsCF, userMapsFiles(), ours))
		os.MkdirAll(in.Path("maildir"), 0755)
		os.Chown(in.Path("maildir"), 2, 2)
		for _, m := range msgs {
			in.Send(m.text, m.args...)
			if !in.WaitQueueEmpty(30 * time.Second) {
				t.Fatalf("queue not empty after %v:\n%s", m.args, in.Maillog())
			}
		}
		// ghost is deferred by its fallback transport: wait for that.
		in.Send("Subject: to ghost\n\nbody\n", "-f", "alice@remote.example", "ghost")
		ok := instance.WaitFor(30*time.Second, func() bool { return strings.Contains(in.Maillog(), "ghost is away") })
		if !ok {
			t.Fatalf("no deferral for ghost:\n%s", in.Maillog())
		}
		out := collect(in)
		// ghost's retries may come before the log is read: each
		// line counts once.
		out["maillog(local)"] = strings.Join(slices.Compact(strings.Split(out["maillog(local)"], "\n")), "\n")
		return out, in.Maillog()
	}
	want, realLog := side(nil)
	got, _ := side(ours.Map(t))
	compare(t, got, want, 3)
	for _, s := range []string{"status=bounced (mailbox of daemon is closed)", "delivered to command: /bin/sh -c", "status=deferred (ghost is away)"} {
		if !strings.Contains(realLog, s) {
			t.Errorf("the real instance never logged %q: the tables were not used:\n%s", s, realLog)
		}
	}
}

// TestUserMapsBrokenTable: a table that cannot be opened defers the
// recipients that need it with "table lookup failure", as the real local
// does, and is reported when the first recipient needs it.
func TestUserMapsBrokenTable(t *testing.T) {
	side := func(ours map[string]string) string {
		in := instance.New(t, instance.Local("mailbox_command_maps = hash:@ROOT@/etc/missing\n", files, ours))
		in.Send("Subject: x\n\nbody\n", "-f", "alice@remote.example", "nobody")
		if !instance.WaitFor(30*time.Second, func() bool { return strings.Contains(in.Maillog(), "status=deferred") }) {
			t.Fatalf("no deferral:\n%s", in.Maillog())
		}
		var lines []string
		for _, l := range strings.Split(in.Maillog(), "\n") {
			if strings.Contains(l, "postfix/local[") {
				lines = append(lines, instance.Mask(l, in.Root))
			}
		}
		return strings.Join(lines, "\n")
	}
	real := side(nil)
	got := side(ours.Map(t))
	if !strings.Contains(real, "table lookup failure") {
		t.Fatalf("the real local did not defer for the table:\n%s", real)
	}
	if got != real {
		t.Errorf("local log lines differ.\nours:\n%s\nreal:\n%s", got, real)
	}
}

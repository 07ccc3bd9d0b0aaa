package hostile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// badMailboxes spoil the mbox files of system users in
// mail_spool_directory; each user gets one message.
var badMailboxes = []struct {
	user, what string
	spoil      func(t *testing.T, in *instance.Instance, path string)
}{
	{"daemon", "a directory", func(t *testing.T, in *instance.Instance, p string) { mustDo(t, os.Mkdir(p, 0700)) }},
	{"bin", "owned by root, mode 0600", func(t *testing.T, in *instance.Instance, p string) {
		mustDo(t, os.WriteFile(p, []byte("From x\n\nold\n"), 0600))
	}},
	{"sys", "a symbolic link", func(t *testing.T, in *instance.Instance, p string) {
		mustDo(t, os.WriteFile(in.Path("out/elsewhere"), nil, 0600))
		mustDo(t, os.Chown(in.Path("out/elsewhere"), 3, 3))
		mustDo(t, os.Symlink(in.Path("out/elsewhere"), p))
	}},
	{"games", "with a second hard link", func(t *testing.T, in *instance.Instance, p string) {
		mustDo(t, os.WriteFile(p, nil, 0600))
		mustDo(t, os.Chown(p, 5, 60))
		mustDo(t, os.Link(p, in.Path("out/games-link")))
	}},
	{"man", "over mailbox_size_limit", func(t *testing.T, in *instance.Instance, p string) {
		mustDo(t, os.WriteFile(p, []byte("From x\n\n"+strings.Repeat("x", 60000)+"\n"), 0600))
		mustDo(t, os.Chown(p, 6, 12))
	}},
	{"lp", "read-only, owned by the user", func(t *testing.T, in *instance.Instance, p string) {
		mustDo(t, os.WriteFile(p, nil, 0400))
		mustDo(t, os.Chown(p, 7, 7))
	}},
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestUnwritableMailboxes delivers one message to each user of
// badMailboxes and compares with the real local: the log lines (bounce
// or deferral, with Postfix's reasons), what stays queued, the bounces
// the sender (nobody) gets, and that no spoiled mailbox changed.
func TestUnwritableMailboxes(t *testing.T) {
	type result struct {
		logs    []string
		queued  int
		bounces int
		changed []string
	}
	real, got := sides(t, 32080, func(t *testing.T, allOurs bool, port int) result {
		in := newInstance(t, allOurs, setup{port: port, noStart: true, slowRetry: true,
			main: "mailbox_size_limit = 60000\nmessage_size_limit = 50000\n"})
		before := map[string]string{}
		for _, b := range badMailboxes {
			p := in.Path("spool/" + b.user)
			b.spoil(t, in, p)
			before[b.user] = mailboxState(p)
		}
		in.Start()
		var rcpts strings.Builder
		for _, b := range badMailboxes {
			rcpts.WriteString("RCPT TO:<" + b.user + "@localhost>\r\n")
		}
		r := dialogue(port, []step{{helo, 1}, {"MAIL FROM:<nobody@localhost>\r\n", 1}, {rcpts.String(), len(badMailboxes)},
			{"DATA\r\n", 1}, {"Subject: to a bad mailbox\r\n\r\nbody\r\n.\r\n", 1}, {"QUIT\r\n", 1}}, 10*time.Second)
		if !strings.Contains(strings.Join(r, "\n"), "queued as") {
			t.Fatalf("message not accepted: %q", r)
		}
		if !waitCount(in, 30*time.Second, "relay=local", len(badMailboxes)) ||
			!in.WaitFor(30*time.Second, func() bool { return len(in.Queued("active", "incoming")) == 0 }) {
			t.Errorf("not every recipient was tried:\n%s", in.Maillog())
		}
		checkNoCrash(t, in)
		var res result
		res.logs = logSet(in, "local", "qmgr", "bounce")
		res.queued = len(in.Queued(instance.MailQueues...))
		res.bounces = strings.Count(in.Mailbox("nobody"), "Subject: Undelivered Mail Returned to Sender")
		for _, b := range badMailboxes {
			if s := mailboxState(in.Path("spool/" + b.user)); s != before[b.user] {
				res.changed = append(res.changed, b.user+": "+before[b.user]+" -> "+s)
			}
		}
		return res
	})
	compareSets(t, "log lines", got.logs, real.logs)
	if real.queued != got.queued || real.bounces != got.bounces {
		t.Errorf("queued, bounces: real %d %d, ours %d %d", real.queued, real.bounces, got.queued, got.bounces)
	}
	if strings.Join(real.changed, "\n") != strings.Join(got.changed, "\n") {
		t.Errorf("mailboxes changed:\nreal: %q\nours: %q", real.changed, got.changed)
	}
	if real.queued != 0 || real.bounces != 1 || len(real.changed) != 0 {
		t.Errorf("real Postfix: %d queued, %d bounces, changed %q; want 0, 1 and none", real.queued, real.bounces, real.changed)
	}
}

// mailboxState describes a mailbox path: its kind, mode and size.
func mailboxState(p string) string {
	fi, err := os.Lstat(p)
	if err != nil {
		return "missing"
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		target, _ := os.Readlink(p)
		return "link to " + filepath.Base(target)
	}
	return fmt.Sprintf("%v %d bytes", fi.Mode(), fi.Size())
}

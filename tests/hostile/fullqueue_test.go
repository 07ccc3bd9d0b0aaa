package hostile

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
	"gopostfix/tests/smtpd/notices"
)

// queueFSSize is the size of the file system TestFullQueue puts under
// the queue directory.
const queueFSSize = "4m"

// smallQueueFS moves the queue directory of a stopped instance onto a
// tmpfs of queueFSSize, keeping owners and modes. The cleanup stops
// master first and then unmounts (lazily if it is still busy).
func smallQueueFS(t *testing.T, in *instance.Instance) {
	t.Helper()
	q, orig := in.Path("queue"), in.Path("queue.orig")
	if out, err := exec.Command("cp", "-a", q, orig).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	if err := syscall.Mount("tmpfs", q, "tmpfs", 0, "size="+queueFSSize+",mode=0755"); err != nil {
		t.Fatalf("mount tmpfs on %s: %v", q, err)
	}
	t.Cleanup(func() {
		in.Halt()
		if err := syscall.Unmount(q, 0); err != nil {
			syscall.Unmount(q, syscall.MNT_DETACH)
		}
	})
	if out, err := exec.Command("cp", "-a", orig+"/.", q).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	os.RemoveAll(orig)
}

// fullQueueMasks hide what differs between the two sides on the small
// file system: the free space smtpd reports, queue IDs with the short
// inode numbers of a new tmpfs, cleanup's temporary file names.
var fullQueueMasks = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d+ bytes`), "N bytes"},
	{regexp.MustCompile(`incoming/[0-9A-F.]+`), "incoming/TMP"},
	{regexp.MustCompile(`message-id=\S+`), "message-id=MID"},
	{regexp.MustCompile(`\b[0-9A-F]{6,12}\b`), "ID"},
}

// fullQueueMaster adds an smtpd that wants more free space in the
// queue (queue_minfree) than the file system has.
const fullQueueMaster = "127.0.0.1:@PORT2@ inet n - n - - smtpd -o queue_minfree=8000000\n"

// TestFullQueue runs the mail system with its queue on a 4 MB file
// system (no message or mailbox size limit) and compares with the real
// Postfix: an smtpd whose queue_minfree is more than the free space
// answers MAIL with 452 4.3.1, a 6 MB message that fills the file
// system gets cleanup's write error and leaves no partial queue file
// behind, and a small message afterwards is delivered.
//
// With notify_classes' default "resource", both send postmaster a
// transcript of each session with a resource error ("Postfix SMTP
// server: errors from ..."): one after the 452, one after the write
// error. The notices are compared with queue IDs, dates and the
// delivery's envelope masked.
func TestFullQueue(t *testing.T) {
	type result struct {
		replies map[string][]string
		logs    []string
		left    []string
		notices []string
	}
	big := "Subject: too big for the file system\r\n\r\n" + strings.Repeat(strings.Repeat("f", 998)+"\r\n", 6000) + ".\r\n"
	real, got := sides(t, 32090, func(t *testing.T, allOurs bool, port int) result {
		in := newInstance(t, allOurs, setup{port: port, noStart: true, master: fullQueueMaster,
			main: "message_size_limit = 0\nmailbox_size_limit = 0\n"})
		smallQueueFS(t, in)
		in.Start()
		res := result{replies: map[string][]string{}}
		res.replies["queue_minfree beyond the free space"] = dialogue(port+500, []step{{helo, 1},
			{"MAIL FROM:<a@example.org>\r\n", 1}, {"QUIT\r\n", 1}}, 10*time.Second)
		res.replies["message beyond the free space"] = dialogue(port, dataSteps("bin@localhost", big), 30*time.Second)
		res.replies["small message after"] = dialogue(port, dataSteps("bin@localhost", "Subject: small after\r\n\r\nbody\r\n.\r\n"), 10*time.Second)
		if !in.WaitMailbox(20*time.Second, "bin", "Subject: small after") || !in.WaitQueueEmpty(20*time.Second) {
			t.Errorf("small message not delivered:\n%s", in.Maillog())
		}
		if !waitCount(in, 10*time.Second, "]: disconnect from ", 3) {
			t.Errorf("sessions did not end:\n%s", in.Maillog())
		}
		if strings.Contains(in.Mailbox("bin"), "too big for the file system") {
			t.Errorf("the message that did not fit was delivered")
		}
		checkNoCrash(t, in)
		for _, l := range logSet(in, "smtpd", "cleanup") {
			for _, m := range fullQueueMasks {
				l = m.re.ReplaceAllString(l, m.with)
			}
			res.logs = append(res.logs, l)
		}
		res.left = in.Queued(instance.MailQueues...)
		if !in.WaitFor(10*time.Second, func() bool { return strings.Count(in.Mailbox("nobody"), notices.Subject) >= 2 }) {
			t.Logf("fewer than two postmaster notices (allOurs %v)", allOurs)
		}
		res.notices = notices.Find(in.Mailbox("nobody"))
		return res
	})
	for name, w := range real.replies {
		if g := strings.Join(got.replies[name], "\n"); strings.Join(w, "\n") != g {
			t.Errorf("%s: replies differ.\nreal:\n%s\nours:\n%s", name, strings.Join(w, "\n"), g)
		}
	}
	if len(real.left) != 0 || len(got.left) != 0 {
		t.Errorf("left in the queue: real %v, ours %v", real.left, got.left)
	}
	compareSets(t, "smtpd and cleanup log lines", got.logs, real.logs)
	if len(real.notices) != 2 {
		t.Errorf("the real smtpd sent %d postmaster notices, want 2", len(real.notices))
	}
	compareSets(t, "postmaster notices", got.notices, real.notices)
}

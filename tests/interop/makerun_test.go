package interop

import (
	"fmt"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	inst "gopostfix/tests/internal/instance"
)

// runRequired are the programs .ci/run-instance.sh needs.
var runRequired = []string{"master", "postfix", "postconf", "postsuper", "postlogd", "smtpd",
	"pickup", "cleanup", "qmgr", "trivial-rewrite", "local", "bounce"}

// TestMakeRun runs "make run"'s script with our programs in a scratch
// RUN_DIR and SMTP port: when every required program builds, mail sent
// over SMTP to root and to a user lands in RUN_DIR/mail and the instance
// stops on SIGTERM; otherwise the script must name exactly the programs
// that are missing and start nothing.
func TestMakeRun(t *testing.T) {
	requireRealPostfix(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var missing, present []string
	for _, p := range runRequired {
		if _, err := os.Stat(filepath.Join(root, "cmd", p)); err != nil {
			missing = append(missing, p)
			continue
		}
		present = append(present, p)
	}
	for _, p := range []string{"error", "discard", "proxymap"} {
		if _, err := os.Stat(filepath.Join(root, "cmd", p)); err == nil {
			present = append(present, p)
		}
	}
	built := inst.NewPrograms(present...)
	t.Cleanup(built.Remove)
	bin := built.Dir(t)
	run, err := os.MkdirTemp("", "makerun")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(run, 0o755)
	t.Cleanup(func() { os.RemoveAll(run) })
	const port = 21150
	cmd := exec.Command(filepath.Join(root, ".ci/run-instance.sh"))
	cmd.Env = append(os.Environ(), "RUN_DIR="+run, "RUN_BIN="+bin, fmt.Sprintf("RUN_SMTP_PORT=%d", port))
	if len(missing) > 0 {
		out, err := cmd.CombinedOutput()
		want := "make run: cannot start the mail system: not built yet in " + bin + ": " + strings.Join(missing, " ") + "\n"
		if err == nil || string(out) != want {
			t.Fatalf("with %v missing: %v\n got %q\nwant %q", missing, err, out, want)
		}
		if _, err := os.Stat(run + "/etc/main.cf"); err == nil {
			t.Fatal("an instance was set up although programs are missing")
		}
		t.Logf("not built yet: %v (the script says so and starts nothing)", missing)
		return
	}
	r := startLines(t, cmd)
	masterPid := func() int {
		data, _ := os.ReadFile(run + "/spool/pid/master.pid")
		var pid int
		fmt.Sscan(strings.TrimSpace(string(data)), &pid)
		return pid
	}
	t.Cleanup(func() {
		if pid := masterPid(); pid > 0 {
			inst.StopMaster(pid)
		}
		cmd.Process.Kill()
	})
	if !r.waitLine(regexp.MustCompile(`postfix/master\[\d+\]: daemon started`), 60*time.Second) {
		t.Fatalf("instance did not start\n%s", strings.Join(r.all, "\n"))
	}
	for _, rcpt := range []string{"root", testUser} {
		msg := "Subject: make run to " + rcpt + "\r\n\r\nhello\r\n"
		err := smtp.SendMail(fmt.Sprintf("127.0.0.1:%d", port), nil, "sender@localhost",
			[]string{rcpt + "@localhost"}, []byte(msg))
		if err != nil {
			t.Fatalf("SMTP to %s: %v\n%s", rcpt, err, strings.Join(r.all, "\n"))
		}
	}
	for _, rcpt := range []string{"root", testUser} {
		box := filepath.Join(run, "mail", rcpt)
		ok := inst.WaitFor(30*time.Second, func() bool {
			data, _ := os.ReadFile(box)
			return strings.Contains(string(data), "Subject: make run to "+rcpt+"\n")
		})
		if !ok {
			r.waitLine(regexp.MustCompile(`^$NEVER`), 2*time.Second)
			t.Fatalf("no mail in %s\n%s", box, strings.Join(r.all, "\n"))
		}
	}
	pid := masterPid()
	syscall.Kill(pid, syscall.SIGTERM)
	r.wait(t, 30*time.Second)
	if !inst.WaitFor(10*time.Second, func() bool { return !inst.Alive(pid) }) {
		t.Fatalf("master %d still running", pid)
	}
}

// Package interop runs whole mail systems that mix our programs with the
// real Postfix 3.7.11 programs: our master with the real daemons, and the
// real master with our daemons. The tests need root and the real Postfix
// installed; they fail (never skip) without them. Every instance lives in
// its own scratch directory, listens on loopback ports 21000-21999 only,
// and is stopped by exact process id.
package interop

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	inst "gopostfix/tests/internal/instance"
)

const (
	realDaemons  = "/usr/lib/postfix/sbin"
	realPostfix  = "/usr/sbin/postfix"
	realSendmail = "/usr/sbin/sendmail"
	testUser     = "pfxtest"
)

// requireRealPostfix fails the test when it cannot run.
func requireRealPostfix(t *testing.T) {
	t.Helper()
	if os.Getuid() != 0 {
		t.Fatal("interop tests need root")
	}
	for _, p := range []string{realPostfix, realSendmail, realDaemons + "/master", realDaemons + "/local"} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("the real Postfix is not installed: %v", err)
		}
	}
	inst.EnsureUser(t, testUser)
}

// progs are our programs under test, built once for the package.
var progs = inst.NewPrograms("master", "postlogd", "postfix", "proxymap")

func TestMain(m *testing.M) { os.Exit(progs.Main(m)) }

// mixedDaemons makes a daemon directory of links to the real daemons,
// except those that ours maps to our binaries.
func mixedDaemons(t *testing.T, ours map[string]string) string {
	t.Helper()
	daemons := t.TempDir()
	os.Chmod(daemons, 0o755)
	entries, err := os.ReadDir(realDaemons)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		target := realDaemons + "/" + e.Name()
		if p, ok := ours[e.Name()]; ok {
			target = p
		}
		os.Symlink(target, daemons+"/"+e.Name())
	}
	return daemons
}

// instance is one scratch Postfix configuration and queue.
type instance struct {
	t        *testing.T
	root     string
	etc      string
	queue    string
	mail     string
	maillog  string
	smtpPort int
}

// newInstance writes main.cf and master.cf (Debian's, without chroot,
// smtpd on 127.0.0.1:port) and creates the queue with the real
// "postfix check".
func newInstance(t *testing.T, daemonDir string, port int) *instance {
	t.Helper()
	root, err := os.MkdirTemp("", "interop")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(root, 0o755)
	t.Cleanup(func() { os.RemoveAll(root) })
	in := &instance{t: t, root: root, etc: root + "/etc", queue: root + "/spool",
		mail: root + "/mail", maillog: root + "/maillog", smtpPort: port}
	for _, d := range []string{in.etc, in.queue, in.mail, root + "/data"} {
		os.MkdirAll(d, 0o755)
	}
	os.Chmod(in.mail, 0o1777)
	u, _ := user.Lookup("postfix")
	uid, _ := strconv.Atoi(u.Uid)
	os.Chown(root+"/data", uid, -1)
	mainCf := fmt.Sprintf(`compatibility_level = 3.6
queue_directory = %[1]s/spool
data_directory = %[1]s/data
daemon_directory = %[2]s
myhostname = interop.example
mydomain = interop.example
mydestination = interop.example, localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mail_spool_directory = %[1]s/mail
alias_maps =
alias_database =
maillog_file = %[1]s/maillog
maillog_file_prefixes = %[1]s
`, root, daemonDir)
	if err := os.WriteFile(in.etc+"/main.cf", []byte(mainCf), 0o644); err != nil {
		t.Fatal(err)
	}
	master, err := os.ReadFile("/etc/postfix/master.cf")
	if err != nil {
		t.Fatalf("the real Postfix is not installed: %v", err)
	}
	var out []string
	for _, line := range strings.Split(string(master), "\n") {
		f := strings.Fields(line)
		if len(f) >= 8 && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, " ") {
			if f[0] == "smtp" && f[1] == "inet" {
				f[0] = fmt.Sprintf("127.0.0.1:%d", port)
			}
			f[4] = "n" // no chroot jail in a scratch instance
			line = strings.Join(f, " ")
		}
		out = append(out, line)
	}
	if err := os.WriteFile(in.etc+"/master.cf", []byte(strings.Join(out, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(realPostfix, "-c", in.etc, "check").CombinedOutput(); err != nil {
		t.Fatalf("postfix check: %v\n%s", err, out)
	}
	return in
}

// masterPid reads pid/master.pid.
func (in *instance) masterPid() int {
	data, _ := os.ReadFile(in.queue + "/pid/master.pid")
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	return pid
}

// startMaster runs a master program with -w and arranges for it and its
// process group to be stopped at the end of the test.
func (in *instance) startMaster(path string) int {
	in.t.Helper()
	cmd := exec.Command(path, "-c", in.etc, "-w")
	if out, err := cmd.CombinedOutput(); err != nil {
		in.t.Fatalf("%s -w: %v\n%s\n%s", path, err, out, in.log())
	}
	pid := in.masterPid()
	if pid <= 0 {
		in.t.Fatalf("no pid/master.pid")
	}
	in.t.Cleanup(func() { inst.StopMaster(pid) })
	return pid
}

func (in *instance) log() string {
	data, _ := os.ReadFile(in.maillog)
	return string(data)
}

// delivered waits until the test user's mailbox holds subject.
func (in *instance) delivered(subject string) bool {
	return inst.WaitFor(30*time.Second, func() bool {
		data, _ := os.ReadFile(filepath.Join(in.mail, testUser))
		return strings.Contains(string(data), "Subject: "+subject+"\n")
	})
}

// sendmail submits a message with the real sendmail.
func (in *instance) sendmail(subject string) {
	in.t.Helper()
	cmd := exec.Command(realSendmail, "-C", in.etc, "-f", "sender@interop.example",
		testUser+"@interop.example")
	cmd.Stdin = strings.NewReader("Subject: " + subject + "\n\nbody\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		in.t.Fatalf("sendmail: %v\n%s", err, out)
	}
}

package smtpd

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gopostfix/tests/internal/nsdns"
)

const (
	realDaemonDir = "/usr/lib/postfix/sbin"
	testUser      = "pfxtest"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// ourPrograms are built once per test run.
var ourPrograms = []string{"smtpd", "anvil"}

// ourBinaries builds our programs and returns their directory.
func ourBinaries(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "smtpdtestbin")
		if buildErr != nil {
			return
		}
		for _, p := range ourPrograms {
			out, err := exec.Command("go", "build", "-o", filepath.Join(buildDir, p), "gopostfix/cmd/"+p).CombinedOutput()
			if err != nil {
				buildErr = fmt.Errorf("go build %s: %v\n%s", p, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

// requireRoot fails the test when the real Postfix cannot be run.
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Getuid() != 0 {
		t.Fatal("these tests need root (the real master)")
	}
	if _, err := os.Stat(filepath.Join(realDaemonDir, "master")); err != nil {
		t.Fatalf("the real Postfix is not installed: %v", err)
	}
	if _, err := user.Lookup(testUser); err != nil {
		if out, err := exec.Command("useradd", "-m", testUser).CombinedOutput(); err != nil {
			t.Fatalf("useradd %s: %v: %s", testUser, err, out)
		}
	}
}

// instance is one scratch Postfix instance run by the real master.
type instance struct {
	t    *testing.T
	root string
	pid  int
}

const baseMainCF = `compatibility_level = 3.6
config_directory = @ROOT@/etc
queue_directory = @ROOT@/queue
data_directory = @ROOT@/data
daemon_directory = @ROOT@/libexec
meta_directory = /etc/postfix
maillog_file = @ROOT@/log/maillog
maillog_file_prefixes = @ROOT@
myhostname = mx.example.com
mydomain = example.com
myorigin = $myhostname
mydestination = $myhostname, localhost.$mydomain, example.com
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mail_spool_directory = @ROOT@/spool
alias_maps =
alias_database =
biff = no
smtpd_error_sleep_time = 0
default_transport = discard:remote mail disabled in this test
relay_transport = discard:relay disabled in this test
`

// baseMasterCF are the services every instance runs; smtpd services are
// appended by each test.
const baseMasterCF = `pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
anvil     unix  -       -       n       -       1       anvil
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
postlog   unix-dgram n  -       n       -       1       postlogd
`

// newInstance creates and starts an instance. ours maps extra program
// names in the daemon directory to our binaries; files are written into
// etc/ with @ROOT@ replaced.
func newInstance(t *testing.T, mainExtra, masterExtra string, ours map[string]string, files map[string]string) *instance {
	t.Helper()
	requireRoot(t)
	root, err := os.MkdirTemp("", "smtpdtest")
	if err != nil {
		t.Fatal(err)
	}
	in := &instance{t: t, root: root}
	t.Cleanup(in.stop)
	for _, d := range []string{"etc", "queue", "data", "log", "spool", "libexec"} {
		if err := os.MkdirAll(in.path(d), 0755); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(root, 0755)
	os.Chmod(in.path("spool"), 0777|os.ModeSticky)
	uid, gid := lookupID(t, "id", "-u", "postfix"), groupID(t, "postdrop")
	if err := os.Chown(in.path("data"), uid, -1); err != nil {
		t.Fatal(err)
	}
	in.makeQueue(uid, gid)
	ents, err := os.ReadDir(realDaemonDir)
	if err != nil {
		t.Fatalf("real Postfix is not installed: %v", err)
	}
	for _, e := range ents {
		target := filepath.Join(realDaemonDir, e.Name())
		if p, ok := ours[e.Name()]; ok {
			target = p
		}
		in.symlink(target, e.Name())
	}
	for name, p := range ours {
		if _, err := os.Lstat(in.path("libexec/" + name)); err != nil {
			in.symlink(p, name)
		}
	}
	sub := func(s string) string { return strings.ReplaceAll(s, "@ROOT@", root) }
	in.write("etc/main.cf", sub(baseMainCF+mainExtra))
	in.write("etc/master.cf", sub(baseMasterCF+masterExtra))
	for name, content := range files {
		in.write("etc/"+name, sub(content))
	}
	in.start()
	return in
}

func (in *instance) symlink(target, name string) {
	if err := os.Symlink(target, in.path("libexec/"+name)); err != nil {
		in.t.Fatal(err)
	}
}

func lookupID(t *testing.T, cmd ...string) int {
	out, err := exec.Command(cmd[0], cmd[1:]...).Output()
	if err != nil {
		t.Fatalf("%v: %v", cmd, err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}

func groupID(t *testing.T, name string) int {
	out, err := exec.Command("getent", "group", name).Output()
	if err != nil {
		t.Fatalf("no group %s: %v", name, err)
	}
	n, _ := strconv.Atoi(strings.Split(string(out), ":")[2])
	return n
}

// makeQueue creates the queue directories as "postfix check" would.
func (in *instance) makeQueue(uid, gid int) {
	for _, q := range []struct {
		name string
		mode os.FileMode
		gid  int
	}{
		{"active", 0700, 0}, {"bounce", 0700, 0}, {"corrupt", 0700, 0}, {"defer", 0700, 0},
		{"deferred", 0700, 0}, {"flush", 0700, 0}, {"hold", 0700, 0}, {"incoming", 0700, 0},
		{"maildrop", 0730, gid}, {"private", 0700, 0}, {"public", 0710, gid}, {"saved", 0700, 0},
		{"trace", 0700, 0}, {"pid", 0755, -1},
	} {
		p := in.path("queue/" + q.name)
		if err := os.Mkdir(p, q.mode); err != nil {
			in.t.Fatal(err)
		}
		os.Chmod(p, q.mode)
		if q.gid >= 0 {
			if err := os.Chown(p, uid, q.gid); err != nil {
				in.t.Fatal(err)
			}
		}
	}
}

func (in *instance) path(rel string) string { return filepath.Join(in.root, rel) }

func (in *instance) write(rel, content string) {
	if err := os.WriteFile(in.path(rel), []byte(content), 0644); err != nil {
		in.t.Fatal(err)
	}
}

// run runs a command for at most a minute and returns its output.
func (in *instance) run(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "MAIL_CONFIG="+in.path("etc"))
	var buf strings.Builder
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return buf.String(), err
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		return buf.String(), fmt.Errorf("%s timed out", name)
	}
}

// start runs the real master with -w, which returns once master is up.
func (in *instance) start() {
	in.t.Helper()
	if out, err := in.run(filepath.Join(realDaemonDir, "master"), "-c", in.path("etc"), "-w"); err != nil {
		in.t.Fatalf("master: %v\n%s", err, out)
	}
	data, err := os.ReadFile(in.path("queue/pid/master.pid"))
	if err != nil {
		in.t.Fatal(err)
	}
	in.pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
	if in.pid <= 1 {
		in.t.Fatalf("bad master pid %q", data)
	}
}

// stop terminates master (and with it its children) by its exact pid,
// waits at most ten seconds, and removes the instance unless the test
// failed.
func (in *instance) stop() {
	if in.pid > 1 {
		syscall.Kill(in.pid, syscall.SIGTERM)
		for i := 0; i < 100 && syscall.Kill(in.pid, 0) == nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
		in.pid = 0
	}
	if in.t.Failed() {
		in.t.Logf("instance kept in %s", in.root)
		return
	}
	os.RemoveAll(in.root)
}

// maillog returns the instance's log.
func (in *instance) maillog() string {
	data, _ := os.ReadFile(in.path("log/maillog"))
	return string(data)
}

// waitFor polls cond every 50ms for at most limit.
func waitFor(limit time.Duration, cond func() bool) bool {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// TestMain removes the binaries built for the run. Run with the DNS
// helper's environment variable, the binary is the DNS helper instead.
func TestMain(m *testing.M) {
	nsdns.ServeIfHelper()
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

package flow

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// realDaemonDir is where Debian installs the real daemons.
const realDaemonDir = "/usr/lib/postfix/sbin"

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// ourBinaries builds our daemons once per test run.
func ourBinaries(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "h8flowbin")
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", append([]string{"build", "-o", buildDir + "/"}, flowPrograms...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

// instance is a scratch Postfix instance run by the real master.
type instance struct {
	t    *testing.T
	root string
	pid  int
}

// baseMainCF is the main.cf shared by every instance; extra lines are
// appended.
const baseMainCF = `compatibility_level = 3.6
config_directory = @ROOT@/etc
queue_directory = @ROOT@/queue
data_directory = @ROOT@/data
daemon_directory = @ROOT@/libexec
meta_directory = /etc/postfix
maillog_file = @ROOT@/log/maillog
maillog_file_prefixes = @ROOT@
myhostname = mx.flow.example
mydomain = flow.example
myorigin = $myhostname
mydestination = $myhostname, localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mail_spool_directory = @ROOT@/spool
alias_maps =
alias_database =
local_recipient_maps =
biff = no
default_transport = error:remote delivery disabled
`

// baseMasterCF lists the services of a complete local-delivery system.
const baseMasterCF = `pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
postlog   unix-dgram n  -       n       -       1       postlogd
`

// newInstance creates and starts an instance. ours maps daemon names
// (as used in master.cf) to our binaries; every other daemon is the real
// one. files are extra files written into etc/ (name -> content, @ROOT@
// replaced).
func newInstance(t *testing.T, mainExtra, masterCF string, ours map[string]string, files map[string]string) *instance {
	t.Helper()
	root, err := os.MkdirTemp("", "h8flow")
	if err != nil {
		t.Fatal(err)
	}
	in := &instance{t: t, root: root}
	t.Cleanup(in.stop)
	for _, d := range []string{"etc", "queue", "data", "log", "spool", "libexec"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0755); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(root, 0755)
	os.Chmod(filepath.Join(root, "spool"), 0777|os.ModeSticky)
	uid, gid := postfixUID(t), postdropGID(t)
	if err := os.Chown(filepath.Join(root, "data"), uid, -1); err != nil {
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
		if err := os.Symlink(target, filepath.Join(root, "libexec", e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	for name, p := range ours {
		if _, err := os.Lstat(filepath.Join(root, "libexec", name)); err != nil {
			if err := os.Symlink(p, filepath.Join(root, "libexec", name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	sub := func(s string) string { return strings.ReplaceAll(s, "@ROOT@", root) }
	in.write("etc/main.cf", sub(baseMainCF+mainExtra))
	in.write("etc/master.cf", sub(masterCF))
	for name, content := range files {
		in.write("etc/"+name, sub(content))
	}
	in.start()
	return in
}

func postfixUID(t *testing.T) int {
	out, err := exec.Command("id", "-u", "postfix").Output()
	if err != nil {
		t.Fatalf("no postfix user: %v", err)
	}
	uid, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return uid
}

func postdropGID(t *testing.T) int {
	out, err := exec.Command("getent", "group", "postdrop").Output()
	if err != nil {
		t.Fatalf("no postdrop group: %v", err)
	}
	f := strings.Split(string(out), ":")
	gid, _ := strconv.Atoi(f[2])
	return gid
}

// makeQueue creates the queue directories as "postfix check" would.
func (in *instance) makeQueue(uid, gid int) {
	in.t.Helper()
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
	in.t.Helper()
	if err := os.WriteFile(in.path(rel), []byte(content), 0644); err != nil {
		in.t.Fatal(err)
	}
}

// run runs a command to completion (bounded to a minute) and returns its
// standard output; failure is fatal.
func (in *instance) run(name string, args ...string) string {
	in.t.Helper()
	out, err := in.runStdin("", name, args...)
	if err != nil {
		in.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func (in *instance) runStdin(stdin, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "MAIL_CONFIG="+in.path("etc"), "TZ=UTC")
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
		return buf.String(), fmt.Errorf("timed out")
	}
}

// start runs the real master with -w (it returns once master is up).
func (in *instance) start() {
	in.t.Helper()
	in.run(filepath.Join(realDaemonDir, "master"), "-c", in.path("etc"), "-w")
	data, err := os.ReadFile(in.path("queue/pid/master.pid"))
	if err != nil {
		in.t.Fatal(err)
	}
	in.pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
	if in.pid <= 1 {
		in.t.Fatalf("bad master pid %q", data)
	}
}

// stop terminates master (which terminates its children), waits at most
// ten seconds for it, and removes the instance unless the test failed.
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

// waitFor polls cond every 100ms for at most limit.
func waitFor(limit time.Duration, cond func() bool) bool {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

package delivery

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

const realDaemonDir = "/usr/lib/postfix/sbin"

// ourPrograms are the daemons this package tests.
var ourPrograms = []string{"qmgr", "error", "discard"}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// ourBinaries builds our daemons once per test run.
func ourBinaries(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "h10bin")
		if buildErr != nil {
			return
		}
		args := []string{"build", "-o", buildDir + "/"}
		for _, p := range ourPrograms {
			args = append(args, "gopostfix/cmd/"+p)
		}
		out, err := exec.Command("go", args...).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

const baseMainCF = `compatibility_level = 3.6
config_directory = @ROOT@/etc
queue_directory = @ROOT@/queue
data_directory = @ROOT@/data
daemon_directory = @ROOT@/libexec
meta_directory = /etc/postfix
maillog_file = @ROOT@/log/maillog
maillog_file_prefixes = @ROOT@
myhostname = mx.deliv.example
mydomain = deliv.example
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
transport_maps = texthash:@ROOT@/etc/transport
minimal_backoff_time = 2s
maximal_backoff_time = 4s
queue_run_delay = 2s
`

const baseMasterCF = `pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
flush     unix  n       -       n       1000?   0       flush
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
postlog   unix-dgram n  -       n       -       1       postlogd
`

const baseTransport = `defer.example retry:4.4.1 simulated deferral
discard.example discard:gone for good
later.example retry:4.4.1 not yet
`

// instance is a scratch Postfix instance run by the real master.
type instance struct {
	t    *testing.T
	root string
	pid  int
}

// newInstance creates and starts an instance in which the daemons named
// in ours are our builds and every other one is the real one.
func newInstance(t *testing.T, mainExtra string, ours ...string) *instance {
	t.Helper()
	root, err := os.MkdirTemp("", "h10deliv")
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
	uid, gid := lookupID(t, "id", "-u", "postfix"), lookupGroup(t, "postdrop")
	if err := os.Chown(in.path("data"), uid, -1); err != nil {
		t.Fatal(err)
	}
	in.makeQueue(uid, gid)
	ents, err := os.ReadDir(realDaemonDir)
	if err != nil {
		t.Fatalf("real Postfix is not installed: %v", err)
	}
	swap := map[string]string{}
	if len(ours) > 0 {
		bin := ourBinaries(t)
		for _, o := range ours {
			swap[o] = filepath.Join(bin, o)
		}
	}
	for _, e := range ents {
		target := filepath.Join(realDaemonDir, e.Name())
		if p, ok := swap[e.Name()]; ok {
			target = p
		}
		if err := os.Symlink(target, in.path("libexec/"+e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	sub := func(s string) string { return strings.ReplaceAll(s, "@ROOT@", root) }
	in.write("etc/main.cf", sub(baseMainCF+mainExtra))
	in.write("etc/master.cf", baseMasterCF)
	in.write("etc/transport", baseTransport)
	in.start()
	return in
}

func lookupID(t *testing.T, cmd string, args ...string) int {
	out, err := exec.Command(cmd, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", cmd, args, err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}

func lookupGroup(t *testing.T, name string) int {
	out, err := exec.Command("getent", "group", name).Output()
	if err != nil {
		t.Fatalf("no %s group: %v", name, err)
	}
	n, _ := strconv.Atoi(strings.Split(string(out), ":")[2])
	return n
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

// run runs a command to completion (at most a minute) and returns its
// output; failure is fatal.
func (in *instance) run(stdin, name string, args ...string) string {
	in.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "MAIL_CONFIG="+in.path("etc"), "TZ=UTC")
	var buf strings.Builder
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		in.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			in.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, buf.String())
		}
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		in.t.Fatalf("%s %s: timed out", name, strings.Join(args, " "))
	}
	return buf.String()
}

// send submits a message with the real sendmail.
func (in *instance) send(subject string, rcpts ...string) {
	in.t.Helper()
	in.run("Subject: "+subject+"\n\nbody of "+subject+"\n", "/usr/sbin/sendmail",
		append([]string{"-C", in.path("etc"), "-f", "root"}, rcpts...)...)
}

// start runs the real master with -w.
func (in *instance) start() {
	in.t.Helper()
	in.run("", filepath.Join(realDaemonDir, "master"), "-c", in.path("etc"), "-w")
	data, err := os.ReadFile(in.path("queue/pid/master.pid"))
	if err != nil {
		in.t.Fatal(err)
	}
	in.pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
	if in.pid <= 1 {
		in.t.Fatalf("bad master pid %q", data)
	}
}

// reload makes master restart its daemons with the current files.
func (in *instance) reload() {
	syscall.Kill(in.pid, syscall.SIGHUP)
}

// stop terminates master (and with it its children), waits at most ten
// seconds, and removes the instance unless the test failed.
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

func (in *instance) maillog() string {
	data, _ := os.ReadFile(in.path("log/maillog"))
	return string(data)
}

// mailbox returns the mbox of a local user.
func (in *instance) mailbox(user string) string {
	data, _ := os.ReadFile(in.path("spool/" + user))
	return string(data)
}

// queued lists the queue IDs in the named queues.
func (in *instance) queued(queues ...string) []string {
	var ids []string
	for _, q := range queues {
		filepath.Walk(in.path("queue/"+q), func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.Mode().IsRegular() {
				ids = append(ids, filepath.Base(p))
			}
			return nil
		})
	}
	return ids
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

// Package harness runs scratch Postfix instances for the local(8) and
// bounce(8) end-to-end tests: the real master and real daemons from
// /usr/lib/postfix/sbin, with chosen daemons replaced by ours through a
// daemon_directory of symbolic links. Every wait is bounded, master is
// stopped by its exact PID, and the instance directory is removed unless
// the test failed.
package harness

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// RealDaemonDir is where Debian installs the real daemons.
const RealDaemonDir = "/usr/lib/postfix/sbin"

// MainCF is the instance configuration (after the reference instance of
// the golden vectors); @ROOT@ is the instance directory.
const MainCF = `compatibility_level = 3.6
config_directory = @ROOT@/etc
queue_directory = @ROOT@/queue
data_directory = @ROOT@/data
daemon_directory = @ROOT@/libexec
meta_directory = /etc/postfix
maillog_file = @ROOT@/log/maillog
maillog_file_prefixes = @ROOT@
myhostname = mx.delivspec.example
mydomain = delivspec.example
myorigin = $myhostname
mydestination = $myhostname, localhost.$mydomain, localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mail_spool_directory = @ROOT@/spool
alias_maps = hash:@ROOT@/etc/aliases
alias_database = hash:@ROOT@/etc/aliases
forward_path = @ROOT@/fwd/$user.forward
recipient_delimiter = +
biff = no
transport_maps = hash:@ROOT@/etc/transport
default_transport = error:remote delivery disabled in test
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
`

// MasterCF lists the services of a local-delivery system.
const MasterCF = `pickup    unix  n       -       n       60      1       pickup
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

// Instance is one running scratch Postfix.
type Instance struct {
	t    *testing.T
	Root string
	pid  int
}

// New creates and starts an instance. ours maps daemon names to our
// binaries; mainExtra is appended to MainCF; files are written relative
// to the instance directory (@ROOT@ substituted). Tables named
// etc/aliases and etc/transport are built with the real postalias and
// postmap.
func New(t *testing.T, ours map[string]string, mainExtra string, files map[string]string) *Instance {
	t.Helper()
	root, err := os.MkdirTemp("", "h11inst")
	if err != nil {
		t.Fatal(err)
	}
	in := &Instance{t: t, Root: root}
	t.Cleanup(in.Stop)
	os.Chmod(root, 0755)
	for _, d := range []string{"etc", "queue", "data", "log", "spool", "libexec", "fwd", "out"} {
		if err := os.MkdirAll(in.Path(d), 0755); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(in.Path("spool"), 0777|os.ModeSticky)
	os.Chmod(in.Path("out"), 0777|os.ModeSticky)
	uid, gid := idOf(t, "id", "-u", "postfix"), groupID(t, "postdrop")
	if err := os.Chown(in.Path("data"), uid, -1); err != nil {
		t.Fatal(err)
	}
	in.makeQueue(uid, gid)
	ents, err := os.ReadDir(RealDaemonDir)
	if err != nil {
		t.Fatalf("real Postfix is not installed: %v", err)
	}
	for _, e := range ents {
		target := filepath.Join(RealDaemonDir, e.Name())
		if p, ok := ours[e.Name()]; ok {
			target = p
		}
		if err := os.Symlink(target, in.Path("libexec/"+e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	sub := func(s string) string { return strings.ReplaceAll(s, "@ROOT@", root) }
	in.Write("etc/main.cf", sub(MainCF+mainExtra))
	in.Write("etc/master.cf", MasterCF)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		in.Write(n, sub(files[n]))
	}
	for _, tbl := range []struct{ file, cmd string }{{"etc/aliases", "/usr/sbin/postalias"}, {"etc/transport", "/usr/sbin/postmap"}} {
		if _, err := os.Stat(in.Path(tbl.file)); err != nil {
			in.Write(tbl.file, "")
		}
		in.Run(tbl.cmd, "-c", in.Path("etc"), in.Path(tbl.file))
	}
	in.Run(filepath.Join(RealDaemonDir, "master"), "-c", in.Path("etc"), "-w")
	data, err := os.ReadFile(in.Path("queue/pid/master.pid"))
	if err != nil {
		t.Fatal(err)
	}
	in.pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
	if in.pid <= 1 {
		t.Fatalf("bad master pid %q", data)
	}
	return in
}

func idOf(t *testing.T, name string, args ...string) int {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}

func groupID(t *testing.T, group string) int {
	out, err := exec.Command("getent", "group", group).Output()
	if err != nil {
		t.Fatalf("no %s group: %v", group, err)
	}
	n, _ := strconv.Atoi(strings.Split(string(out), ":")[2])
	return n
}

// makeQueue creates the queue directories as "postfix check" would.
func (in *Instance) makeQueue(uid, gid int) {
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
		p := in.Path("queue/" + q.name)
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

// Path is a path inside the instance.
func (in *Instance) Path(rel string) string { return filepath.Join(in.Root, rel) }

// Write writes a file inside the instance.
func (in *Instance) Write(rel, content string) {
	in.t.Helper()
	if err := os.WriteFile(in.Path(rel), []byte(content), 0644); err != nil {
		in.t.Fatal(err)
	}
}

// Run runs a command (bounded to a minute) with MAIL_CONFIG set; failure
// is fatal. It returns the combined output.
func (in *Instance) Run(name string, args ...string) string {
	in.t.Helper()
	out, err := in.RunInput("", name, args...)
	if err != nil {
		in.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// RunInput runs a command with stdin.
func (in *Instance) RunInput(stdin, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "MAIL_CONFIG="+in.Path("etc"), "TZ=UTC")
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

// Send submits a message with the real sendmail.
func (in *Instance) Send(message string, args ...string) {
	in.t.Helper()
	out, err := in.RunInput(message, "/usr/sbin/sendmail", append([]string{"-C", in.Path("etc")}, args...)...)
	if err != nil {
		in.t.Fatalf("sendmail %v: %v\n%s", args, err, out)
	}
}

// Stop terminates master (and so its children), waiting at most ten
// seconds, and removes the instance unless the test failed.
func (in *Instance) Stop() {
	if in.pid > 1 {
		syscall.Kill(in.pid, syscall.SIGTERM)
		for i := 0; i < 100 && syscall.Kill(in.pid, 0) == nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
		in.pid = 0
	}
	if in.t.Failed() {
		in.t.Logf("instance kept in %s", in.Root)
		return
	}
	os.RemoveAll(in.Root)
}

// Maillog returns the log so far.
func (in *Instance) Maillog() string {
	data, _ := os.ReadFile(in.Path("log/maillog"))
	return string(data)
}

// WaitQueueEmpty waits (at most limit) until no message is queued and
// no per-message logfile is left; false on time-out.
func (in *Instance) WaitQueueEmpty(limit time.Duration) bool {
	return WaitFor(limit, func() bool {
		for _, q := range []string{"maildrop", "incoming", "active", "deferred", "bounce", "defer", "trace"} {
			n := 0
			filepath.Walk(in.Path("queue/"+q), func(p string, fi os.FileInfo, err error) error {
				if err == nil && fi.Mode().IsRegular() {
					n++
				}
				return nil
			})
			if n > 0 {
				return false
			}
		}
		return true
	})
}

// WaitFor polls cond every 100ms for at most limit.
func WaitFor(limit time.Duration, cond func() bool) bool {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// Masks hide what differs between two runs of the same input: queue IDs,
// dates and times, Message-Ids, MIME boundaries, Maildir names, pids and
// the instance directory.
var masks = []*regexp.Regexp{
	regexp.MustCompile(`<\d{14}\.`),
	regexp.MustCompile(`\.\d{9,11}/`),
	regexp.MustCompile(`[0-9A-F]{10,12}`),
	regexp.MustCompile(`(Sun|Mon|Tue|Wed|Thu|Fri|Sat)(,)? +\d+ [A-Z][a-z][a-z] \d{4} \d\d:\d\d:\d\d [+-]\d{4} \([A-Z]+\)`),
	regexp.MustCompile(`(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z][a-z] [ \d]\d \d\d:\d\d:\d\d \d{4}`),
	regexp.MustCompile(`[A-Z][a-z][a-z] [ \d]\d \d\d:\d\d:\d\d`),
	regexp.MustCompile(`\[\d+\]`),
	regexp.MustCompile(`delays?=[0-9./]+`),
}

// Mask applies the masks and replaces root by @ROOT@.
func Mask(s, root string) string {
	s = strings.ReplaceAll(s, root, "@ROOT@")
	for _, re := range masks {
		s = re.ReplaceAllString(s, "<M>")
	}
	return s
}

package maps

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// instance is a scratch Postfix configuration with a real master that
// runs only proxymap, proxywrite and postlogd.
type instance struct {
	t     *testing.T
	root  string // scratch directory, readable by the postfix user
	etc   string
	queue string
	pid   int
}

// newInstance writes main.cf (with extra appended) and master.cf, makes
// the queue with the real "postfix check" and starts the real master.
// proxymap is the proxymap program master runs (the real one or ours);
// setup runs before master starts.
func newInstance(t *testing.T, proxymap, extra string, setup func(root string)) *instance {
	t.Helper()
	root, err := os.MkdirTemp("", "mapsproxy")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(root, 0o755)
	t.Cleanup(func() { os.RemoveAll(root) })
	in := &instance{t: t, root: root, etc: root + "/etc", queue: root + "/spool"}
	daemons := root + "/daemons"
	for _, d := range []string{in.etc, in.queue, daemons, root + "/data"} {
		os.MkdirAll(d, 0o755)
	}
	u, err := user.Lookup("postfix")
	if err != nil {
		t.Fatalf("no postfix user: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	os.Chown(root+"/data", uid, -1)
	entries, _ := os.ReadDir(realDaemons)
	for _, e := range entries {
		target := realDaemons + "/" + e.Name()
		if e.Name() == "proxymap" {
			target = proxymap
		}
		os.Symlink(target, daemons+"/"+e.Name())
	}
	mainCf := fmt.Sprintf(`compatibility_level = 3.6
queue_directory = %[1]s/spool
data_directory = %[1]s/data
daemon_directory = %[1]s/daemons
maillog_file = %[1]s/maillog
maillog_file_prefixes = %[1]s
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
alias_maps =
alias_database =
%[2]s
`, root, strings.ReplaceAll(extra, "@ROOT@", root))
	masterCf := "proxymap unix - - n - - proxymap\n" +
		"proxywrite unix - - n - 1 proxymap -n proxywrite\n" +
		"postlog unix-dgram n - n - 1 postlogd\n"
	for name, text := range map[string]string{"main.cf": mainCf, "master.cf": masterCf} {
		path := in.etc + "/" + name
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Hour)
		os.Chtimes(path, old, old)
	}
	if setup != nil {
		setup(root)
	}
	if out, err := exec.Command("/usr/sbin/postfix", "-c", in.etc, "check").CombinedOutput(); err != nil {
		t.Fatalf("postfix check: %v\n%s", err, out)
	}
	if out, err := exec.Command(realDaemons+"/master", "-c", in.etc, "-w").CombinedOutput(); err != nil {
		t.Fatalf("master -w: %v\n%s\n%s", err, out, in.log())
	}
	data, _ := os.ReadFile(in.queue + "/pid/master.pid")
	in.pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
	if in.pid <= 0 {
		t.Fatal("no pid/master.pid")
	}
	t.Cleanup(in.stop)
	return in
}

// stop ends master and its children: SIGTERM, then SIGKILL to its
// process group, by exact id.
func (in *instance) stop() {
	if in.pid <= 0 {
		return
	}
	syscall.Kill(in.pid, syscall.SIGTERM)
	for i := 0; i < 50 && alive(in.pid); i++ {
		time.Sleep(100 * time.Millisecond)
	}
	syscall.Kill(-in.pid, syscall.SIGKILL)
	in.pid = 0
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	f := strings.Fields(string(data))
	return len(f) > 2 && f[2] != "Z"
}

func (in *instance) log() string {
	data, _ := os.ReadFile(filepath.Join(in.root, "maillog"))
	return string(data)
}

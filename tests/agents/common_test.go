package agents

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

	"gopostfix/tests/internal/instance"
)

// baseMasterCF is the instances' service list; tests append their own.
const baseMasterCF = instance.MasterCF

// progs are our programs under test, built once for the package.
var progs = instance.NewPrograms("pipe", "verify", "virtual")

func TestMain(m *testing.M) { os.Exit(progs.Main(m)) }

// message is one submission with the real sendmail.
type message struct {
	args []string
	text string
}

// submit sends the messages one at a time, each time waiting until the
// queue is empty or, when wait is given, until the log matches it.
func submit(t *testing.T, in *instance.Instance, msgs []message, waits []*regexp.Regexp) {
	t.Helper()
	for i, m := range msgs {
		in.Send(m.text, m.args...)
		ok := false
		if waits != nil && waits[i] != nil {
			ok = instance.WaitFor(30*time.Second, func() bool { return waits[i].MatchString(in.Maillog()) })
		} else {
			ok = in.WaitQueueEmpty(30 * time.Second)
		}
		if !ok {
			t.Fatalf("message %d (%v) not done:\n%s", i, m.args, in.Maillog())
		}
	}
}

// collect returns the regular files below dirs (relative to the
// instance), masked; files of a Maildir "new" directory are joined in
// sorted order under the directory's name, since their names differ.
func collect(in *instance.Instance, dirs ...string) map[string]string {
	out := map[string]string{}
	for _, dir := range dirs {
		root := in.Path(dir)
		filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
			if err != nil || !fi.Mode().IsRegular() {
				return nil
			}
			rel, _ := filepath.Rel(in.Root, p)
			data, _ := os.ReadFile(p)
			text := instance.Mask(string(data), in.Root)
			if filepath.Base(filepath.Dir(p)) == "new" {
				key := filepath.Dir(rel)
				if out[key] != "" {
					parts := append(strings.Split(out[key], "\n----\n"), text)
					sort.Strings(parts)
					text = strings.Join(parts, "\n----\n")
				}
				out[key] = text
				return nil
			}
			out[rel] = text
			return nil
		})
	}
	return out
}

// owners lists the owner, group and mode of every file below dir, one
// line each, Maildir file names replaced by "*".
func owners(in *instance.Instance, dir string) string {
	var lines []string
	filepath.Walk(in.Path(dir), func(p string, fi os.FileInfo, err error) error {
		if err != nil || p == in.Path(dir) {
			return nil
		}
		rel, _ := filepath.Rel(in.Root, p)
		if d := filepath.Base(filepath.Dir(p)); fi.Mode().IsRegular() && (d == "new" || d == "cur" || d == "tmp") {
			rel = filepath.Join(filepath.Dir(rel), "*")
		}
		st := fi.Sys().(*syscall.Stat_t)
		lines = append(lines, fmt.Sprintf("%s %d:%d %v", rel, st.Uid, st.Gid, fi.Mode()))
		return nil
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// stopMaster stops the instance's master by the PID in its pid file and
// waits (at most ten seconds) until it and its verify child are gone.
func stopMaster(t *testing.T, in *instance.Instance) {
	t.Helper()
	data, err := os.ReadFile(in.Path("queue/pid/master.pid"))
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 1 {
		t.Fatalf("master pid: %v %q", err, data)
	}
	syscall.Kill(pid, syscall.SIGTERM)
	if !instance.WaitFor(10*time.Second, func() bool { return syscall.Kill(pid, 0) != nil }) {
		t.Fatalf("master %d did not stop", pid)
	}
	// Children see master go away and exit on their own.
	instance.WaitFor(10*time.Second, func() bool {
		out, _ := exec.Command("fuser", in.Path("data/verify_cache.db")).Output()
		return len(strings.TrimSpace(string(out))) == 0
	})
}

// logLines returns the masked, sorted log lines that contain any of
// the markers.
func logLines(in *instance.Instance, markers ...string) string {
	var lines []string
	for _, l := range strings.Split(in.Maillog(), "\n") {
		for _, m := range markers {
			if strings.Contains(l, m) {
				lines = append(lines, instance.Mask(l, in.Root))
				break
			}
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// compare reports every difference between ours and the real result;
// the real one must have produced at least least entries.
func compare(t *testing.T, got, want map[string]string, least int) {
	t.Helper()
	if len(want) < least {
		t.Fatalf("the real instance produced too little (%d < %d): %v", len(want), least, want)
	}
	instance.CompareMaps(t, got, want)
}

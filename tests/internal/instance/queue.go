package instance

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// makeQueue creates the queue directories as "postfix check" would.
func (in *Instance) makeQueue(uid, gid int) {
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

// MailQueues are the queues that hold messages.
var MailQueues = []string{"maildrop", "incoming", "active", "deferred", "hold"}

// Queued lists the file names (queue IDs) in the named queues.
func (in *Instance) Queued(queues ...string) []string {
	var ids []string
	for _, q := range queues {
		filepath.Walk(in.Path("queue/"+q), func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.Mode().IsRegular() {
				ids = append(ids, filepath.Base(p))
			}
			return nil
		})
	}
	return ids
}

// WaitQueueEmpty waits (at most limit) until no message is queued
// outside hold/ and no per-message logfile is left; false on time-out.
func (in *Instance) WaitQueueEmpty(limit time.Duration) bool {
	return WaitFor(limit, func() bool {
		return len(in.Queued("maildrop", "incoming", "active", "deferred", "bounce", "defer", "trace")) == 0
	})
}

// EnsureUser creates a local user with a home directory (useradd -m)
// unless it exists: a recipient of local delivery in the tests.
func EnsureUser(t testing.TB, name string) {
	t.Helper()
	if _, err := user.Lookup(name); err == nil {
		return
	}
	if out, err := exec.Command("useradd", "-m", name).CombinedOutput(); err != nil {
		t.Fatalf("useradd %s: %v: %s", name, err, out)
	}
}

// UserID is the uid of a system user; a missing user fails the test.
func UserID(t testing.TB, user string) int {
	t.Helper()
	out, err := exec.Command("id", "-u", user).Output()
	if err != nil {
		t.Fatalf("no user %s: %v", user, err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}

// GroupID is the gid of a system group; a missing group fails the test.
func GroupID(t testing.TB, group string) int {
	t.Helper()
	out, err := exec.Command("getent", "group", group).Output()
	if err != nil {
		t.Fatalf("no group %s: %v", group, err)
	}
	n, _ := strconv.Atoi(strings.Split(string(out), ":")[2])
	return n
}

// RequireRealPostfix fails the test when it cannot run instances: not
// root, or the real Postfix is not installed.
func RequireRealPostfix(t testing.TB) {
	t.Helper()
	if os.Getuid() != 0 {
		t.Fatal("instances need root (master, local delivery as the recipient)")
	}
	for _, p := range []string{RealDaemonDir + "/master", RealCommandDir + "/sendmail"} {
		if !exists(p) {
			t.Fatalf("the real Postfix is not installed: no %s", p)
		}
	}
}

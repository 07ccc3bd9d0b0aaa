package deliver

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"gopostfix/libglobal/util/msg"
)

// TestMarkCorrupt checks mark_corrupt's effects: the warning, the mode,
// the switch to mail_owner (a root-owned file cannot be changed by the
// owner, a mail_owner file can) and the identity afterwards.
func TestMarkCorrupt(t *testing.T) {
	if syscall.Geteuid() != 0 {
		t.Skip("needs root to switch identities")
	}
	const nobody = 65534
	tests := []struct {
		name      string
		fileOwner int // uid and gid of the queue file
		owner     int // mail_owner's uid and gid
		wantMode  os.FileMode
		wantLog   string
		wantExit  int
	}{
		{"as root", 0, 0, 0400, "warning: corrupted queue file: @F@\n", -1},
		{"switches to mail_owner", nobody, nobody, 0400, "warning: corrupted queue file: @F@\n", -1},
		{"mail_owner cannot change root's file", 0, nobody, 0700,
			"warning: corrupted queue file: @F@\nfatal: mark_corrupt: fchmod @F@: Operation not permitted\n", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ABCDEF")
			f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0700)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Chown(tc.fileOwner, tc.fileOwner); err != nil {
				t.Fatal(err)
			}
			var capture msg.Capture
			log := msg.New(&capture)
			exit := -1
			log.Exit = func(code int) { exit = code }
			MarkCorrupt(f, log, tc.owner, tc.owner)
			if euid, egid := syscall.Geteuid(), syscall.Getegid(); euid != 0 || egid != 0 {
				t.Fatalf("identity afterwards %d/%d, want 0/0", euid, egid)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.ReplaceAll(tc.wantLog, "@F@", path)
			if st.Mode().Perm() != tc.wantMode || capture.String() != want || exit != tc.wantExit {
				t.Errorf("mode %o log %q exit %d, want %o %q %d", st.Mode().Perm(), capture.String(), exit,
					tc.wantMode, want, tc.wantExit)
			}
		})
	}
}

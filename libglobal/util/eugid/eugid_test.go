package eugid

import (
	"os"
	"syscall"
	"testing"
)

func TestAs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("the test needs root, as the delivery agents do")
	}
	tests := []struct{ uid, gid int }{{65534, 65534}, {1, 1}, {0, 0}}
	for _, tc := range tests {
		As(tc.uid, tc.gid, func() {
			if u, g := syscall.Geteuid(), syscall.Getegid(); u != tc.uid || g != tc.gid {
				t.Errorf("inside As(%d, %d): euid %d egid %d", tc.uid, tc.gid, u, g)
			}
			groups, _ := syscall.Getgroups()
			if len(groups) != 1 || groups[0] != tc.gid {
				t.Errorf("inside As(%d, %d): groups %v", tc.uid, tc.gid, groups)
			}
		})
		if u, g := syscall.Geteuid(), syscall.Getegid(); u != 0 || g != 0 {
			t.Fatalf("after As(%d, %d): euid %d egid %d", tc.uid, tc.gid, u, g)
		}
	}
}

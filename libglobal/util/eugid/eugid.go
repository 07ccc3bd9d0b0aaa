// Package eugid switches a process's effective user and group IDs the
// way Postfix's set_eugid(3) does (src/util/set_eugid.c): back to root
// first, then the group (with the supplementary groups reduced to it),
// then the user. Delivery agents that run as root (local, virtual, pipe)
// live as mail_owner between deliveries and take a recipient's identity
// only while they write for it.
//
// Go applies set*id calls to every thread of the process, so the switch
// holds for the whole program, as it does for a single-threaded C one.
// A failed switch panics: Postfix treats it as fatal, and carrying on
// with the wrong identity is never safe.
package eugid

import (
	"fmt"
	"syscall"
)

// Set makes uid/gid the effective IDs (set_eugid).
func Set(uid, gid int) {
	if err := syscall.Setresuid(-1, 0, -1); err != nil {
		panic(fmt.Sprintf("set_eugid: seteuid(0): %v", err))
	}
	if err := syscall.Setresgid(-1, gid, -1); err != nil {
		panic(fmt.Sprintf("set_eugid: setegid(%d): %v", gid, err))
	}
	if err := syscall.Setgroups([]int{gid}); err != nil {
		panic(fmt.Sprintf("set_eugid: setgroups(%d): %v", gid, err))
	}
	if err := syscall.Setresuid(-1, uid, -1); err != nil {
		panic(fmt.Sprintf("set_eugid: seteuid(%d): %v", uid, err))
	}
}

// As runs fn with the effective IDs uid/gid and then returns to the
// effective IDs the process had before.
func As(uid, gid int, fn func()) {
	euid, egid := syscall.Geteuid(), syscall.Getegid()
	Set(uid, gid)
	defer Set(euid, egid)
	fn()
}

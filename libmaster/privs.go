package libmaster

import (
	"fmt"
	"gopostfix/libglobal/util/dict"
	"os/user"
	"strconv"
	"syscall"
)

// chrootUID enters root (if not empty) and becomes user (if not empty),
// in chroot_uid(3)'s order: set group and supplementary groups, chroot,
// chdir to the new root, then set the user id.
func chrootUID(root, name string) error {
	uid, gid := -1, -1
	if name != "" {
		u, err := user.Lookup(name)
		if err != nil {
			return fmt.Errorf("unknown user: %s", name)
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		if err := syscall.Setgid(gid); err != nil {
			return fmt.Errorf("setgid(%d): %s", gid, dict.ErrnoText(err))
		}
		groups := []int{gid}
		if ids, err := u.GroupIds(); err == nil {
			for _, g := range ids {
				if n, err := strconv.Atoi(g); err == nil && n != gid {
					groups = append(groups, n)
				}
			}
		}
		if err := syscall.Setgroups(groups); err != nil {
			return fmt.Errorf("initgroups: %s", dict.ErrnoText(err))
		}
	}
	if root != "" {
		if err := syscall.Chroot(root); err != nil {
			return fmt.Errorf("chroot(%s): %s", root, dict.ErrnoText(err))
		}
		if err := syscall.Chdir("/"); err != nil {
			return fmt.Errorf("chdir(/): %s", dict.ErrnoText(err))
		}
	}
	if name != "" {
		if err := syscall.Setuid(uid); err != nil {
			return fmt.Errorf("setuid(%d): %s", uid, dict.ErrnoText(err))
		}
	}
	return nil
}

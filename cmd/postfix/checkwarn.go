package main

import (
	"bytes"
	"fmt"
	"os"
	"os/user"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// checkWarn is postfix-script's check-warn: owners and permissions of the
// queue, configuration, program and data directories, set-gid programs,
// copies of system files in the queue directory, damaged messages and
// sendmail remnants, each reported with the script's warning text. Paths
// are spelled as find(1) prints them.
func (c *ctl) checkWarn() {
	q := c.dirs["queue_directory"]
	shared := c.shared
	for _, p := range []string{q + "/.", q + "/pid"} {
		c.warnNotOwner(p, 0, "root")
	}
	for _, p := range []string{q + "/.", q + "/pid"} {
		c.warnWritable(p, true)
	}
	todo := []string{c.dirs["config_directory"] + "/."}
	if shared {
		todo = append(todo, c.dirs["daemon_directory"]+"/.", c.str("meta_directory")+"/.")
		if sh := c.str("shlib_directory"); sh != "no" {
			todo = append(todo, sh+"/.")
		}
	}
	todo = sortUnique(todo)
	for _, d := range todo {
		walk(d, func(p string, st *syscall.Stat_t) { c.warnNotOwner(p, 0, "root") })
	}
	for _, d := range todo {
		walk(d, func(p string, st *syscall.Stat_t) { c.warnWritable(p, true) })
	}
	for _, d := range todo {
		walk(d, func(p string, st *syscall.Stat_t) {
			if st.Mode&syscall.S_IFMT != syscall.S_IFLNK || p == "/etc/postfix/./makedefs.out" {
				return
			}
			if target, err := os.Readlink(p); err == nil && strings.Contains(target, "/") {
				c.script.Warnf("symlink leaves directory: %s", p)
			}
		})
	}
	owner := c.dirs["mail_owner"]
	uid := -1
	if u, err := user.Lookup(owner); err == nil {
		uid, _ = strconv.Atoi(u.Uid)
	}
	data := c.dirs["data_directory"] + "/."
	walk(data, func(p string, st *syscall.Stat_t) { c.warnNotOwner(p, uid, owner) })
	walk(data, func(p string, st *syscall.Stat_t) { c.warnWritable(p, false) })
	for _, d := range queueOwned(q) {
		walk(d, func(p string, st *syscall.Stat_t) {
			if t := st.Mode & syscall.S_IFMT; t != syscall.S_IFIFO && t != syscall.S_IFSOCK {
				c.warnNotOwner(p, uid, owner)
			}
		})
	}
	if st, ok := lstat(q + "/maildrop"); ok && int(st.Uid) != uid {
		c.script.Warnf("not owned by %s: %s", owner, q+"/maildrop")
	}
	c.checkSetgid(q, shared)
	c.checkSystemCopies(q)
	walk("corrupt", func(p string, st *syscall.Stat_t) {
		if st.Mode&syscall.S_IFMT == syscall.S_IFREG {
			c.script.Warnf("damaged message: %s", p)
		}
	})
	if shared {
		a, errA := os.ReadFile("/usr/sbin/sendmail")
		b, errB := os.ReadFile("/usr/lib/sendmail")
		if errA == nil && errB == nil && !bytes.Equal(a, b) {
			c.script.Warnf("/usr/lib/sendmail and /usr/sbin/sendmail differ")
			c.script.Warnf("Replace one by a symbolic link to the other")
		}
	}
}

// checkSetgid: the setgid_group owns public, maildrop and the set-gid
// programs, which must be mode 2111 or more.
func (c *ctl) checkSetgid(q string, shared bool) {
	group := c.dirs["setgid_group"]
	gid := -1
	if g, err := user.LookupGroup(group); err == nil {
		gid, _ = strconv.Atoi(g.Gid)
	}
	cmdDir := c.dirs["command_directory"]
	todo := []string{q + "/public", q + "/maildrop"}
	if shared {
		todo = append([]string{cmdDir + "/postqueue", cmdDir + "/postdrop"}, todo...)
	}
	for _, p := range todo {
		st, ok := lstat(p)
		if !ok {
			fmt.Fprintf(os.Stderr, "find: '%s': No such file or directory\n", p)
			continue
		}
		if int(st.Gid) != gid {
			c.script.Warnf("not owned by group %s: %s", group, p)
		}
	}
	if !shared {
		return
	}
	for _, p := range todo[:2] {
		st, ok := lstat(p)
		if !ok {
			fmt.Fprintf(os.Stderr, "find: '%s': No such file or directory\n", p)
			continue
		}
		if st.Mode&0o2111 != 0o2111 {
			c.script.Warnf("not set-gid or not owner+group+world executable: %s", p)
		}
	}
}

// checkSystemCopies compares the copies of system files that a chroot
// jail keeps in the queue directory (bin etc lib sbin usr) with the
// originals.
func (c *ctl) checkSystemCopies(q string) {
	for _, dir := range []string{"bin", "etc", "lib", "sbin", "usr"} {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		walk(dir, func(p string, st *syscall.Stat_t) {
			if st.Uid != 0 {
				c.script.Warnf("not owned by root: %s/%s", q, p)
			}
		})
		walk(dir, func(p string, st *syscall.Stat_t) {
			if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
				return
			}
			if fi, err := os.Stat("/" + p); err != nil || !fi.Mode().IsRegular() {
				return
			}
			a, _ := os.ReadFile(p)
			b, _ := os.ReadFile("/" + p)
			if !bytes.Equal(a, b) {
				c.script.Warnf("%s/%s and /%s differ", q, p, p)
			}
		})
	}
}

// queueOwned lists the existing mail_owner directories of the queue.
func queueOwned(q string) []string {
	names := map[string]bool{"saved": true, "incoming": true, "active": true, "defer": true,
		"deferred": true, "bounce": true, "hold": true, "trace": true, "corrupt": true,
		"public": true, "private": true, "flush": true}
	entries, _ := os.ReadDir(q)
	var out []string
	for _, e := range entries {
		if names[e.Name()] {
			out = append(out, q+"/"+e.Name())
		}
	}
	return out
}

// walk visits root and everything below it without following symbolic
// links, in lexical order, with find's path spelling.
func walk(root string, fn func(p string, st *syscall.Stat_t)) {
	st, ok := lstat(root)
	if !ok {
		return
	}
	fn(root, st)
	if st.Mode&syscall.S_IFMT != syscall.S_IFDIR {
		return
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		walk(root+"/"+e.Name(), fn)
	}
}

func sortUnique(in []string) []string {
	sort.Strings(in)
	var out []string
	for i, s := range in {
		if i == 0 || s != in[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func lstat(p string) (*syscall.Stat_t, bool) {
	var st syscall.Stat_t
	if err := syscall.Lstat(p, &st); err != nil {
		return nil, false
	}
	return &st, true
}

func (c *ctl) warnNotOwner(p string, uid int, name string) {
	if st, ok := lstat(p); ok && int(st.Uid) != uid {
		c.script.Warnf("not owned by %s: %s", name, p)
	}
}

// warnWritable reports group or other write permission; follow says
// whether a symbolic link is judged by its target (find -L).
func (c *ctl) warnWritable(p string, follow bool) {
	var st syscall.Stat_t
	var err error
	if follow {
		err = syscall.Stat(p, &st)
	} else {
		err = syscall.Lstat(p, &st)
	}
	if err == nil && st.Mode&0o022 != 0 {
		c.script.Warnf("group or other writable: %s", p)
	}
}

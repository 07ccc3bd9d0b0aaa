package main

import (
	"io/fs"
	"os"
	"os/user"
	"strconv"
	"strings"
	"syscall"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/eugid"
)

// setEUGID switches the effective user and group of the whole process
// (set_eugid).
func setEUGID(uid, gid int) { eugid.Set(uid, gid) }

// asUser runs fn with the given effective IDs, then returns to
// mail_owner.
func (a *agent) asUser(uid, gid int, fn func()) {
	setEUGID(uid, gid)
	defer setEUGID(a.cfg.ownerUID, a.cfg.ownerGID)
	fn()
}

// statAs is stat(2) with a user's rights (stat_as).
func (a *agent) statAs(path string, uid, gid int) error {
	_, err := a.statFileAs(path, uid, gid)
	return err
}

func (a *agent) statFileAs(path string, uid, gid int) (fi fs.FileInfo, err error) {
	a.asUser(uid, gid, func() { fi, err = os.Stat(path) })
	return
}

// lstatAs is lstat(2) with a user's rights (lstat_as).
func (a *agent) lstatAs(path string, uid, gid int) (fi fs.FileInfo, err error) {
	a.asUser(uid, gid, func() { fi, err = os.Lstat(path) })
	return
}

// openAs opens a file for reading with a user's rights (open_as).
func (a *agent) openAs(path string, uid, gid int) (f *os.File, err error) {
	a.asUser(uid, gid, func() { f, err = os.Open(path) })
	return
}

// fileOwner is the owner uid of a file.
func fileOwner(fi fs.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}

// recipientUser looks up the passwd entry of m.user: nil when there is
// no such user; on a lookup error the recipient is deferred ("user
// lookup error") and failed is true with the deferral's result.
func (d *delivery) recipientUser(m msgAttr) (pw *userAttr, res int, failed bool) {
	pw, err := lookupUser(m.user)
	if err != nil {
		d.a.s.Log.Warnf("error looking up passwd info for %s: %s", m.user, dict.ErrnoText(err))
		m.simple("4.0.0", "user lookup error")
		return nil, d.deferRcpt(m), true
	}
	return pw, 0, false
}

// lookupUser is getpwnam (mypwnam_err): nil without error when there is
// no such user.
func lookupUser(name string) (*userAttr, error) {
	u, err := user.Lookup(name)
	if err != nil {
		if _, ok := err.(user.UnknownUserError); ok {
			return nil, nil
		}
		return nil, err
	}
	return passwdAttr(u)
}

// lookupUID is getpwuid (mypwuid_err).
func lookupUID(uid int) (*userAttr, error) {
	u, err := user.LookupId(strconv.Itoa(uid))
	if err != nil {
		if _, ok := err.(user.UnknownUserIdError); ok {
			return nil, nil
		}
		return nil, err
	}
	return passwdAttr(u)
}

func passwdAttr(u *user.User) (*userAttr, error) {
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &userAttr{uid: uid, gid: gid, home: u.HomeDir, logname: u.Username, shell: loginShell(u.Username), known: true}, nil
}

// osHostname is gethostname(2).
func osHostname() (string, error) { return os.Hostname() }

// loginShell is the pw_shell field of /etc/passwd for name ("" when it
// cannot be found).
func loginShell(name string) string {
	data, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 7 && f[0] == name {
			return f[6]
		}
	}
	return ""
}

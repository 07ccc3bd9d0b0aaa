package queue

import (
	"errors"
	"syscall"
	"time"

	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/syserr"
)

// OpenOK checks that file id in queue is a complete regular queue file
// (mail_open_ok) and returns its queue-relative path and status. Problems
// other than a missing file are logged as Postfix logs them.
func (l *Layout) OpenOK(log *msg.Logger, queue, id string) (path string, st *syscall.Stat_t, ok bool) {
	if !NameOK(queue) {
		log.Warnf("bad mail queue name: %s", queue)
		return "", nil, false
	}
	if !IDOK(id) {
		return "", nil, false
	}
	path = l.Path(queue, id)
	st = new(syscall.Stat_t)
	if err := syscall.Lstat(l.Abs(path), st); err != nil {
		if !errors.Is(err, syscall.ENOENT) {
			log.Warnf("%s: %s", path, Strerror(err))
		}
		return path, nil, false
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		log.Warnf("%s: uid %d: not a regular file", path, st.Uid)
		return path, st, false
	}
	if !Ready(st.Mode) {
		return path, st, false
	}
	if st.Nlink > 1 {
		if log != nil && log.Verbose > 0 {
			log.Infof("%s: uid %d: file has %d links", path, st.Uid, st.Nlink)
		} else if st.Ctim.Sec < time.Now().Unix()-60 {
			log.Warnf("%s: uid %d: file has %d links", path, st.Uid, st.Nlink)
		}
	}
	return path, st, true
}

// Strerror returns the C library's text for the errno inside err, the
// way Postfix's %m shows it; other errors print as they are
// (syserr.Text).
func Strerror(err error) string { return syserr.Text(err) }

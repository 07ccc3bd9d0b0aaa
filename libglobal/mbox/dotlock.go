package mbox

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/util/dict"
)

// DotLock creates "path.lock" exclusively (dot_lockfile), retrying while
// it exists and removing a lock older than p.Stale. The error text is
// Postfix's reason; errors.Is(err, syscall.EEXIST) tells a busy lock.
func DotLock(path string, p LockParams) error {
	lock := path + ".lock"
	var err error
	for count := 1; ; count++ {
		var fd int
		fd, err = syscall.Open(lock, syscall.O_WRONLY|syscall.O_EXCL|syscall.O_CREAT|syscall.O_CLOEXEC, 0)
		if err == nil {
			syscall.Close(fd)
			return nil
		}
		if count >= p.Tries || err != syscall.EEXIST {
			break
		}
		var st syscall.Stat_t
		if syscall.Stat(lock, &st) == nil && time.Now().Unix() > st.Ctim.Sec+int64(p.Stale/time.Second) {
			if uerr := syscall.Unlink(lock); uerr != nil && uerr != syscall.ENOENT {
				err = uerr
				break
			}
		}
		randSleep(p.Delay)
	}
	return &lockError{fmt.Sprintf("unable to create lock file %s: %s", lock, dict.ErrnoText(err)), err}
}

// DotUnlock removes "path.lock".
func DotUnlock(path string) {
	os.Remove(path + ".lock")
}

// isExist reports a busy dot-lock.
func isExist(err error) bool { return errors.Is(err, syscall.EEXIST) }

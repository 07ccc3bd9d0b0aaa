package queue

import (
	"errors"
	"os"
	"syscall"
)

// Lock modes for LockFile (myflock operations).
const (
	LockShared    = syscall.LOCK_SH
	LockExclusive = syscall.LOCK_EX
	LockNoWait    = syscall.LOCK_NB
)

// ErrLocked is returned by a non-blocking lock held by someone else.
var ErrLocked = errors.New("Resource temporarily unavailable")

// LockFile takes Postfix's internal lock on a queue file: flock(2), the
// INTERNAL_LOCK style on Linux, so Go and C programs exclude each other.
func LockFile(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return ErrLocked
		}
		return err
	}
}

// UnlockFile releases the internal lock.
func UnlockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

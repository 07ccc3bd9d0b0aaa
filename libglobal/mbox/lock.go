package mbox

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/namemask"
)

// Lock styles of mailbox_delivery_lock.
const (
	LockFlock = 1 << iota
	LockFcntl
	LockDot
	// LockDotMayFail tolerates a dot-lock that cannot be created for
	// reasons other than "file exists" (file deliveries).
	LockDotMayFail
)

var lockNames = []namemask.Name{{Name: "flock", Mask: LockFlock}, {Name: "fcntl", Mask: LockFcntl}, {Name: "dotlock", Mask: LockDot}}

// ParseLockMask reads a mailbox_delivery_lock value (mbox_lock_mask).
func ParseLockMask(value string) (int, error) {
	return namemask.Parse("mailbox_delivery_lock", lockNames, value)
}

// LockNames lists the lock methods this system supports, as
// "postconf -l" shows them.
func LockNames() []string {
	out := make([]string, len(lockNames))
	for i, n := range lockNames {
		out[i] = n.Name
	}
	return out
}

// LockParams are the retry settings of every lock attempt.
type LockParams struct {
	Tries int           // deliver_lock_attempts
	Delay time.Duration // deliver_lock_delay
	Stale time.Duration // stale_lock_time
}

// DefaultLockParams are Postfix's defaults.
var DefaultLockParams = LockParams{Tries: 20, Delay: time.Second, Stale: 500 * time.Second}

// randSleep sleeps delay, give or take half of it (rand_sleep).
func randSleep(delay time.Duration) {
	v := delay / 2
	time.Sleep(delay - v/2 + time.Duration(rand.Int64N(int64(v)+1)))
}

// Flock takes (exclusive) or releases a kernel lock of one style
// without waiting (myflock with MYFLOCK_OP_NOWAIT).
func Flock(f *os.File, style int, exclusive bool) error {
	fd := int(f.Fd())
	var err error
	switch style {
	case LockFlock:
		op := syscall.LOCK_UN
		if exclusive {
			op = syscall.LOCK_EX | syscall.LOCK_NB
		}
		for err = syscall.Flock(fd, op); err == syscall.EINTR; err = syscall.Flock(fd, op) {
		}
	case LockFcntl:
		lk := syscall.Flock_t{Type: syscall.F_UNLCK}
		if exclusive {
			lk.Type = syscall.F_WRLCK
		}
		for err = syscall.FcntlFlock(uintptr(fd), syscall.F_SETLK, &lk); err == syscall.EINTR; err = syscall.FcntlFlock(uintptr(fd), syscall.F_SETLK, &lk) {
		}
	default:
		return fmt.Errorf("unsupported lock style: 0x%x", style)
	}
	// Some systems say EACCES when someone else holds the lock.
	if errors.Is(err, syscall.EACCES) {
		err = syscall.EAGAIN
	}
	return err
}

// DeliverFlock takes an exclusive kernel lock, retrying as configured
// (deliver_flock). The error text is Postfix's reason.
func DeliverFlock(f *os.File, style int, p LockParams) error {
	for i := 1; ; i++ {
		err := Flock(f, style, true)
		if err == nil {
			return nil
		}
		if i >= p.Tries {
			return &lockError{fmt.Sprintf("unable to lock for exclusive access: %s", dict.ErrnoText(err)), err}
		}
		randSleep(p.Delay)
	}
}

// lockError is a lock failure: Postfix's reason text and the errno.
type lockError struct {
	text string
	err  error
}

func (e *lockError) Error() string { return e.text }
func (e *lockError) Unwrap() error { return e.err }

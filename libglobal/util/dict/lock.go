package dict

import (
	"errors"
	"syscall"
)

// LockOp is a lock request (MYFLOCK_OP_*).
type LockOp int

const (
	LockNone      LockOp = 0 // release
	LockShared    LockOp = 1
	LockExclusive LockOp = 2
	LockNoWait    LockOp = 4 // fail with EAGAIN instead of waiting
)

// LockStyle is how a table's lock file is locked. Postfix's
// INTERNAL_LOCK on Linux is flock(2) (hash, btree, the cdb build file),
// so that is the default; LMDB tables use fcntl(2) record locks
// explicitly. The two kinds do not exclude each other, so a table must
// use the same style as Postfix.
type LockStyle int

const (
	// StyleFlock locks with flock(2): Postfix's INTERNAL_LOCK.
	StyleFlock LockStyle = iota
	// StyleFcntl locks with fcntl(F_SETLK[W]) on the whole file.
	StyleFcntl
)

// LockFileStyle applies op to fd with the given style.
func LockFileStyle(fd int, style LockStyle, op LockOp) error {
	if style == StyleFlock {
		return FlockFile(fd, op)
	}
	return LockFile(fd, op)
}

// FlockFile applies op to fd with flock(2), Postfix's INTERNAL_LOCK.
func FlockFile(fd int, op LockOp) error {
	var how int
	switch op &^ LockNoWait {
	case LockNone:
		how = syscall.LOCK_UN
	case LockShared:
		how = syscall.LOCK_SH
	case LockExclusive:
		how = syscall.LOCK_EX
	default:
		return errors.New("invalid lock operation")
	}
	if op&LockNoWait != 0 {
		how |= syscall.LOCK_NB
	}
	for {
		err := syscall.Flock(fd, how)
		switch {
		case err == nil:
			return nil
		case err == syscall.EINTR:
			continue
		case op&LockNoWait != 0 && err == syscall.EWOULDBLOCK:
			return ErrLocked
		}
		return err
	}
}

// ErrLocked is returned by a LockNoWait request when another process holds
// a conflicting lock.
var ErrLocked = errors.New("Resource temporarily unavailable")

// Lock implements Dict with locks on LockFD in the table's LockStyle.
// Tables without a lock file succeed without doing anything.
func (b *Base) Lock(op LockOp) error {
	if b.LockFD < 0 {
		return nil
	}
	return LockFileStyle(b.LockFD, b.LockStyle, op)
}

// LockFile applies op to the whole file fd with fcntl(F_SETLK[W]); see
// FlockFile for Postfix's internal (flock) style.
func LockFile(fd int, op LockOp) error {
	var typ int16
	switch op &^ LockNoWait {
	case LockNone:
		typ = syscall.F_UNLCK
	case LockShared:
		typ = syscall.F_RDLCK
	case LockExclusive:
		typ = syscall.F_WRLCK
	default:
		return errors.New("invalid lock operation")
	}
	lk := syscall.Flock_t{Type: typ, Whence: 0, Start: 0, Len: 0}
	cmd := syscall.F_SETLKW
	if op&LockNoWait != 0 {
		cmd = syscall.F_SETLK
	}
	for {
		err := syscall.FcntlFlock(uintptr(fd), cmd, &lk)
		switch {
		case err == nil:
			return nil
		case err == syscall.EINTR:
			continue
		case op&LockNoWait != 0 && (err == syscall.EAGAIN || err == syscall.EACCES):
			return ErrLocked
		}
		return err
	}
}

// WithLock runs fn holding op on the table's lock file when the table has
// FlagLock set (per-access locking, as Postfix's readers do), releasing
// the lock afterwards. Inside a batch (HoldLock) an access the held lock
// covers runs without locking; a stronger one converts the lock for fn
// and then returns to the held one.
func (b *Base) WithLock(op LockOp, fn func() error) error {
	if b.Flags()&FlagLock == 0 || b.LockFD < 0 || (b.held != LockNone && op <= b.held) {
		return fn()
	}
	if err := LockFileStyle(b.LockFD, b.LockStyle, op); err != nil {
		return Wrap(KindRetry, err, "%s: lock dictionary", b.name)
	}
	ferr := fn()
	if err := LockFileStyle(b.LockFD, b.LockStyle, b.held); err != nil && ferr == nil {
		return Wrap(KindRetry, err, "%s: unlock dictionary", b.name)
	}
	return ferr
}

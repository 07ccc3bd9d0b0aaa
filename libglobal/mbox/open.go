package mbox

import (
	"os"
	"syscall"

	"gopostfix/libglobal/util/msg"
)

// Mailbox is a mailbox file opened for exclusive appending.
type Mailbox struct {
	Path   string
	File   *os.File
	Stat   syscall.Stat_t // of the open file
	locked int
}

// Open locks and opens a mailbox-style file (mbox_open). flags are
// os.OpenFile flags (O_NONBLOCK is added); a created file gets mode and,
// unless both are -1, chownUID/chownGID. style is a lock mask; defDSN is
// the status of a failure that is neither temporary nor a full disk.
// Warnings (a tolerated dot-lock failure, a file that changed under us)
// go to log.
func Open(path string, flags int, mode uint32, chownUID, chownGID, style int, defDSN string, p LockParams, log *msg.Logger) (*Mailbox, *Error) {
	m := &Mailbox{Path: path}
	// Only regular files (or files yet to be made) get a dot-lock: never
	// lock /dev/null. stat follows symlinks on purpose.
	var st syscall.Stat_t
	if style&LockDot != 0 && (syscall.Stat(path, &st) != nil || st.Mode&syscall.S_IFMT == syscall.S_IFREG) {
		if err := DotLock(path, p); err == nil {
			m.locked |= LockDot
		} else if isExist(err) {
			return nil, &Error{Status: StatusFor(syscall.EAGAIN, defDSN), Reason: err.Error(), Errno: syscall.EEXIST}
		} else if style&LockDotMayFail != 0 {
			log.Warnf("%s", err.Error())
		} else {
			return nil, &Error{Status: StatusFor(err, defDSN), Reason: err.Error(), Errno: errnoOf(err)}
		}
	}
	f, fst, err := SafeOpen(path, flags|syscall.O_NONBLOCK, mode, chownUID, chownGID)
	if err != nil {
		m.unlockDot()
		return nil, &Error{Status: StatusFor(err, defDSN), Reason: err.Error(), Errno: errnoOf(err)}
	}
	m.File, m.Stat = f, *fst
	if m.Stat.Mode&syscall.S_IFMT == syscall.S_IFREG {
		for _, k := range []int{LockFlock, LockFcntl} {
			if style&k == 0 {
				continue
			}
			if err := DeliverFlock(f, k, p); err != nil {
				m.unlockDot()
				f.Close()
				return nil, &Error{Status: StatusFor(err, defDSN), Reason: err.Error(), Errno: errnoOf(err)}
			}
		}
		m.locked |= style & (LockFlock | LockFcntl)
		// Another program may have replaced the file between the open and
		// the lock (GNU pop3d does); safe_open guaranteed one link.
		if err := syscall.Fstat(int(f.Fd()), &m.Stat); err != nil || m.Stat.Nlink != 1 {
			log.Warnf("%s: file status changed unexpectedly", path)
			m.unlockDot()
			f.Close()
			return nil, &Error{Status: StatusFor(syscall.EAGAIN, defDSN), Reason: "target file status changed unexpectedly", Errno: syscall.EAGAIN}
		}
	}
	return m, nil
}

func (m *Mailbox) unlockDot() {
	if m.locked&LockDot != 0 {
		DotUnlock(m.Path)
		m.locked &^= LockDot
	}
}

// Release removes the dot-lock (mbox_release). The file itself is closed
// by Copy, which must see the close succeed; kernel locks go with it.
func (m *Mailbox) Release() {
	m.unlockDot()
}

package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// Lock methods of mailbox_delivery_lock.
const (
	lockFlock = 1 << iota
	lockFcntl
	lockDot
)

var lockNames = []struct {
	name string
	bit  int
}{{"flock", lockFlock}, {"fcntl", lockFcntl}, {"dotlock", lockDot}}

// lockMask parses a lock style list, case-sensitively, as name_mask does.
func lockMask(s string) (int, error) {
	mask := 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n'
	}) {
		found := false
		for _, n := range lockNames {
			if n.name == w {
				mask |= n.bit
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown %s value \"%s\" in \"%s\"", "mailbox_delivery_lock", w, s)
		}
	}
	return mask, nil
}

// lockParams are deliver_lock_attempts, deliver_lock_delay and
// stale_lock_time.
type lockParams struct {
	tries        int
	delay, stale time.Duration
}

// pause sleeps the lock delay, randomised by half of it (rand_sleep).
func (p lockParams) pause() {
	d := p.delay - p.delay/4 + time.Duration(rand.Int64N(int64(p.delay/2)+1))
	time.Sleep(d)
}

// mailbox is a locked mailbox.
type mailbox struct {
	path string
	f    *os.File
	dot  bool
}

func (m *mailbox) release() {
	m.f.Close()
	if m.dot {
		os.Remove(m.path + ".lock")
	}
}

// openMailbox locks and opens path (mbox_open); why explains a failure.
func openMailbox(path string, mask int, p lockParams, log *msg.Logger) (*mailbox, string) {
	m := &mailbox{path: path}
	var st syscall.Stat_t
	if mask&lockDot != 0 && (syscall.Stat(path, &st) != nil || st.Mode&syscall.S_IFMT == syscall.S_IFREG) {
		if why := dotLock(path, p); why != "" {
			return nil, why
		}
		m.dot = true
	}
	f, why := safeOpen(path)
	if f == nil {
		m.undot()
		return nil, why
	}
	syscall.CloseOnExec(int(f.Fd()))
	if err := syscall.Fstat(int(f.Fd()), &st); err == nil && st.Mode&syscall.S_IFMT == syscall.S_IFREG {
		for _, k := range []int{lockFlock, lockFcntl} {
			if mask&k == 0 {
				continue
			}
			if why := kernelLock(f, k, p); why != "" {
				m.undot()
				f.Close()
				return nil, why
			}
		}
		if syscall.Fstat(int(f.Fd()), &st) != nil || st.Nlink != 1 {
			log.Warnf("%s: file status changed unexpectedly", path)
			m.undot()
			f.Close()
			return nil, "target file status changed unexpectedly"
		}
	}
	m.f = f
	return m, ""
}

func (m *mailbox) undot() {
	if m.dot {
		os.Remove(m.path + ".lock")
	}
}

// dotLock creates PATH.lock exclusively, breaking a lock older than
// stale_lock_time (dot_lockfile).
func dotLock(path string, p lockParams) string {
	lock := path + ".lock"
	var err error
	for count := 1; ; count++ {
		var fd int
		fd, err = syscall.Open(lock, syscall.O_WRONLY|syscall.O_EXCL|syscall.O_CREAT, 0)
		if err == nil {
			syscall.Close(fd)
			return ""
		}
		if count >= p.tries || err != syscall.EEXIST {
			break
		}
		var st syscall.Stat_t
		if syscall.Stat(lock, &st) == nil && time.Now().Unix() > st.Ctim.Sec+int64(p.stale/time.Second) {
			if e := syscall.Unlink(lock); e != nil && e != syscall.ENOENT {
				err = e
				break
			}
		}
		p.pause()
	}
	return fmt.Sprintf("unable to create lock file %s: %s", lock, dict.ErrnoText(err))
}

// kernelLock takes an exclusive flock or fcntl lock without waiting,
// retrying (deliver_flock).
func kernelLock(f *os.File, kind int, p lockParams) string {
	var err error
	for i := 1; ; i++ {
		if kind == lockFlock {
			err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		} else {
			lk := syscall.Flock_t{Type: syscall.F_WRLCK}
			err = syscall.FcntlFlock(f.Fd(), syscall.F_SETLK, &lk)
		}
		if err == nil {
			return ""
		}
		if err == syscall.EWOULDBLOCK || err == syscall.EACCES {
			err = syscall.EAGAIN
		}
		if i >= p.tries {
			break
		}
		p.pause()
	}
	return "unable to lock for exclusive access: " + dict.ErrnoText(err)
}

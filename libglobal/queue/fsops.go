package queue

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Rename renames a file, and reports success when the rename failed but
// the source is gone and the target exists, which is how a lost NFS reply
// looks (sane_rename). spurious is set in that case. It is rename(2)
// alone, as Postfix's: os.Rename adds an lstat(2) of the target to
// refuse a directory there, where rename(2) itself fails with EISDIR.
func Rename(from, to string) (spurious bool, err error) {
	err = rename(from, to)
	if err == nil {
		return false, nil
	}
	if _, e1 := os.Stat(from); e1 != nil {
		if _, e2 := os.Stat(to); e2 == nil {
			return true, nil
		}
	}
	return false, err
}

// rename is rename(2), retried on EINTR, with os.Rename's error type.
func rename(from, to string) error {
	for {
		err := syscall.Rename(from, to)
		if err == nil {
			return nil
		}
		if err != syscall.EINTR {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
		}
	}
}

// Mkdirs creates the missing directories above path with mode 0700
// (mail_queue_mkdirs).
func Mkdirs(path string) error {
	dir := filepath.Dir(path)
	if dir == "." || dir == "/" {
		return nil
	}
	return makeDirs(dir, 0700)
}

// makeDirs is make_dirs: create each missing component with mode perm.
func makeDirs(dir string, perm fs.FileMode) error {
	if st, err := os.Stat(dir); err == nil {
		if !st.IsDir() {
			return &fs.PathError{Op: "mkdir", Path: dir, Err: syscall.ENOTDIR}
		}
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir && parent != "." {
		if err := makeDirs(parent, perm); err != nil {
			return err
		}
	}
	if err := syscall.Mkdir(dir, uint32(perm)); err != nil && !errors.Is(err, syscall.EEXIST) {
		return &fs.PathError{Op: "mkdir", Path: dir, Err: err}
	}
	return nil
}

// Move renames file id from one queue to another, creating missing hash
// directories (mail_queue_rename).
func (l *Layout) Move(id, from, to string) error {
	src, dst := l.Abs(l.Path(from, id)), l.Abs(l.Path(to, id))
	_, err := Rename(src, dst)
	if err != nil && Mkdirs(dst) == nil {
		_, err = Rename(src, dst)
	}
	return err
}

// Remove deletes file id from queue (mail_queue_remove). As remove(3),
// it tries rmdir only when unlink says the name is a directory (os.Remove
// added a failing rmdir to every removal of a file that does not exist,
// such as the defer log of each message qmgr reads).
func (l *Layout) Remove(queue, id string) error {
	p := l.Abs(l.Path(queue, id))
	err := ignoringEINTR(func() error { return syscall.Unlink(p) })
	if err == syscall.EISDIR {
		err = ignoringEINTR(func() error { return syscall.Rmdir(p) })
	}
	if err != nil {
		return &fs.PathError{Op: "remove", Path: p, Err: err}
	}
	return nil
}

// Open opens file id in queue; when creating, missing hash directories
// are made (mail_queue_open).
func (l *Layout) Open(queue, id string, flag int, perm fs.FileMode) (*os.File, error) {
	p := l.Abs(l.Path(queue, id))
	if flag&os.O_CREATE == 0 {
		return openExisting(p, flag)
	}
	f, err := os.OpenFile(p, flag, perm)
	if err != nil && errors.Is(err, fs.ErrNotExist) && flag&os.O_CREATE != 0 && Mkdirs(p) == nil {
		f, err = os.OpenFile(p, flag, perm)
	}
	return f, err
}

// openExisting opens a file without creating it, as os.OpenFile does but
// without offering the descriptor to the Go network poller: for a
// regular file os.OpenFile made four fcntl calls and an epoll_ctl that
// fails with EPERM, on every queue file qmgr and the delivery agents
// open. os.NewFile keeps a blocking descriptor out of the poller.
func openExisting(path string, flag int) (*os.File, error) {
	var fd int
	err := ignoringEINTR(func() (err error) {
		fd, err = syscall.Open(path, flag|syscall.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// ignoringEINTR repeats fn while it is interrupted by a signal.
func ignoringEINTR(fn func() error) error {
	for {
		if err := fn(); err != syscall.EINTR {
			return err
		}
	}
}

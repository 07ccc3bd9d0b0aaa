package mbox

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"gopostfix/libglobal/util/dict"
)

// SafeOpen opens or creates path without being fooled by links
// (safe_open): an existing file must have exactly one hard link, must not
// be a directory, and may be a symbolic link only when the link and its
// parent directory belong to root and the directory is writable by root
// alone. A file that is created (O_CREAT, with O_EXCL semantics) is
// given to chownUID/chownGID unless both are -1. The error's text is
// Postfix's reason; it wraps the errno.
func SafeOpen(path string, flags int, mode uint32, chownUID, chownGID int) (*os.File, *syscall.Stat_t, error) {
	switch flags & (os.O_CREATE | os.O_EXCL) {
	case 0:
		return safeOpenExist(path, flags)
	case os.O_CREATE | os.O_EXCL:
		return safeOpenCreate(path, flags, mode, chownUID, chownGID)
	case os.O_CREATE:
		f, st, err := safeOpenExist(path, flags)
		if f == nil && errnoOf(err) == syscall.ENOENT {
			f, st, err = safeOpenCreate(path, flags, mode, chownUID, chownGID)
			if f == nil && errnoOf(err) == syscall.EEXIST {
				f, st, err = safeOpenExist(path, flags)
			}
		}
		return f, st, err
	}
	return nil, nil, fmt.Errorf("safe_open: O_EXCL flag without O_CREAT flag")
}

// reasonError is a failure with Postfix's reason text and an errno.
type reasonError struct {
	text  string
	errno syscall.Errno
}

func (e *reasonError) Error() string { return e.text }
func (e *reasonError) Unwrap() error { return e.errno }

func safeOpenExist(path string, flags int) (*os.File, *syscall.Stat_t, error) {
	f, err := os.OpenFile(path, flags&^(os.O_CREATE|os.O_EXCL), 0)
	if err != nil {
		return nil, nil, &reasonError{"cannot open file: " + dict.ErrnoText(err), errnoOf(err)}
	}
	var fst, lst syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &fst); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: bad open file status: %s", path, dict.ErrnoText(err))
	}
	var why *reasonError
	switch {
	case fst.Nlink != 1:
		why = &reasonError{fmt.Sprintf("file has %d hard links", fst.Nlink), syscall.EPERM}
	case fst.Mode&syscall.S_IFMT == syscall.S_IFDIR:
		why = &reasonError{"file is a directory", syscall.EISDIR}
	default:
		if err := syscall.Lstat(path, &lst); err != nil {
			why = &reasonError{"file status changed unexpectedly: " + dict.ErrnoText(err), syscall.EPERM}
		} else if lst.Mode&syscall.S_IFMT == syscall.S_IFLNK {
			if lst.Uid == 0 && rootOnlyDir(filepath.Dir(path)) {
				return f, &fst, nil
			}
			why = &reasonError{"file is a symbolic link", syscall.EPERM}
		} else if fst.Dev != lst.Dev || fst.Ino != lst.Ino || fst.Nlink != lst.Nlink || fst.Mode != lst.Mode {
			why = &reasonError{"file status changed unexpectedly", syscall.EPERM}
		} else {
			return f, &fst, nil
		}
	}
	f.Close()
	return nil, nil, why
}

// rootOnlyDir reports whether dir belongs to root and only root may
// write it.
func rootOnlyDir(dir string) bool {
	var st syscall.Stat_t
	return syscall.Stat(dir, &st) == nil && st.Uid == 0 && st.Mode&(syscall.S_IWGRP|syscall.S_IWOTH) == 0
}

func safeOpenCreate(path string, flags int, mode uint32, uid, gid int) (*os.File, *syscall.Stat_t, error) {
	f, err := os.OpenFile(path, flags|os.O_CREATE|os.O_EXCL, os.FileMode(mode))
	if err != nil {
		return nil, nil, &reasonError{"cannot create file exclusively: " + dict.ErrnoText(err), errnoOf(err)}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: bad open file status: %s", path, dict.ErrnoText(err))
	}
	if uid != -1 || gid != -1 {
		if err := f.Chown(uid, gid); err != nil {
			f.Close()
			return nil, nil, &reasonError{fmt.Sprintf("%s: cannot change file ownership: %s", path, dict.ErrnoText(err)), errnoOf(err)}
		}
	}
	return f, &st, nil
}

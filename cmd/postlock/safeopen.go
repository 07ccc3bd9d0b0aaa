package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"gopostfix/libglobal/util/dict"
)

const openFlags = os.O_WRONLY | os.O_APPEND | syscall.O_NONBLOCK

// safeOpen opens or creates the mailbox the careful way (safe_open with
// O_CREAT): an existing file must have one link, not be a directory, and
// be reached without a symbolic link unless root owns the link in a
// directory only root can write; a new one is created exclusively, 0600.
func safeOpen(path string) (*os.File, string) {
	f, why, err := openExisting(path)
	if f == nil && err == syscall.ENOENT {
		f, why, err = createNew(path)
		if f == nil && err == syscall.EEXIST {
			f, why, _ = openExisting(path)
		}
	}
	return f, why
}

func openExisting(path string) (*os.File, string, error) {
	f, err := os.OpenFile(path, openFlags, 0)
	if err != nil {
		errno := errnoOf(err)
		return nil, "cannot open file: " + dict.ErrnoText(errno), errno
	}
	var st, lst syscall.Stat_t
	why := ""
	switch {
	case syscall.Fstat(int(f.Fd()), &st) != nil:
		why = "cannot fstat file"
	case st.Nlink != 1:
		why = fmt.Sprintf("file has %d hard links", st.Nlink)
	case st.Mode&syscall.S_IFMT == syscall.S_IFDIR:
		why = "file is a directory"
	case syscall.Lstat(path, &lst) != nil:
		why = "file status changed unexpectedly"
	case lst.Mode&syscall.S_IFMT == syscall.S_IFLNK:
		var pst syscall.Stat_t
		if lst.Uid == 0 && syscall.Stat(filepath.Dir(path), &pst) == nil && pst.Uid == 0 && pst.Mode&0o022 == 0 {
			return f, "", nil
		}
		why = "file is a symbolic link"
	case st.Dev != lst.Dev || st.Ino != lst.Ino || st.Nlink != lst.Nlink || st.Mode != lst.Mode:
		why = "file status changed unexpectedly"
	default:
		return f, "", nil
	}
	f.Close()
	return nil, why, syscall.EPERM
}

func createNew(path string) (*os.File, string, error) {
	f, err := os.OpenFile(path, openFlags|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		errno := errnoOf(err)
		return nil, "cannot create file exclusively: " + dict.ErrnoText(errno), errno
	}
	return f, "", nil
}

func errnoOf(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

package main

import (
	"fmt"
	"os"
	"syscall"

	"gopostfix/libglobal/queue"
)

// safeOpenExisting opens an existing file the careful way Postfix does
// (safe_open_exist): one hard link, not a directory, not a symbolic link,
// and the same file by name as by descriptor. why explains a refusal.
func safeOpenExisting(path string, flag int) (f *os.File, st *syscall.Stat_t, why string, err error) {
	f, err = os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, nil, "cannot open file: " + queue.Strerror(err), err
	}
	st = new(syscall.Stat_t)
	if err := syscall.Fstat(int(f.Fd()), st); err != nil {
		f.Close()
		return nil, nil, "cannot fstat file: " + queue.Strerror(err), err
	}
	var lst syscall.Stat_t
	switch {
	case st.Nlink != 1:
		why, err = fmt.Sprintf("file has %d hard links", st.Nlink), syscall.EPERM
	case st.Mode&syscall.S_IFMT == syscall.S_IFDIR:
		why, err = "file is a directory", syscall.EISDIR
	default:
		if e := syscall.Lstat(path, &lst); e != nil {
			why, err = "file status changed unexpectedly: "+queue.Strerror(e), syscall.EPERM
		} else if lst.Mode&syscall.S_IFMT == syscall.S_IFLNK {
			why, err = "file is a symbolic link", syscall.EPERM
		} else if st.Dev != lst.Dev || st.Ino != lst.Ino || st.Nlink != lst.Nlink || st.Mode != lst.Mode {
			why, err = "file status changed unexpectedly", syscall.EPERM
		} else {
			return f, st, "", nil
		}
	}
	f.Close()
	return nil, nil, why, err
}

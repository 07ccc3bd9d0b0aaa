package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// editFile is Postfix's edit_file(3) protocol for rewriting a
// configuration file: the new text goes to PATH.tmp, created with mode
// 0600 and held under an exclusive lock (so concurrent editors take
// turns), then it gets its final mode, is fsync'd and renamed over PATH
// while still locked.
type editFile struct {
	path, tmpPath string
	mode          fs.FileMode
	f             *os.File
}

const editTmpMode = 0600

// openEditFile opens and locks PATH.tmp. A temp file left by a crash is
// reused when it looks like ours, otherwise removed and created again.
func openEditFile(path string, mode fs.FileMode) (*editFile, error) {
	ef := &editFile{path: path, tmpPath: path + ".tmp", mode: mode}
	for {
		f, err := os.OpenFile(ef.tmpPath, os.O_CREATE|os.O_WRONLY, editTmpMode)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", ef.tmpPath, err)
		}
		before, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		after, err := os.Stat(ef.tmpPath)
		if err != nil || !os.SameFile(before, after) {
			f.Close() // renamed or removed while we waited: try again
			continue
		}
		st := after.Sys().(*syscall.Stat_t)
		if !after.Mode().IsRegular() || st.Nlink > 1 || st.Mode&07777 != editTmpMode {
			f.Close()
			if err := os.Remove(ef.tmpPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("unlink %s: %w", ef.tmpPath, err)
			}
			continue
		}
		if err := f.Truncate(0); err != nil {
			f.Close()
			return nil, fmt.Errorf("truncate %s: %w", ef.tmpPath, err)
		}
		ef.f = f
		return ef, nil
	}
}

// Write appends to the new text.
func (ef *editFile) Write(p []byte) (int, error) { return ef.f.Write(p) }

// abort removes the temp file; the original stays untouched.
func (ef *editFile) abort() {
	os.Remove(ef.tmpPath)
	ef.f.Close()
}

// commit gives the new text its final mode, syncs it and renames it into
// place before the lock goes away.
func (ef *editFile) commit() error {
	err := ef.f.Chmod(ef.mode)
	if err == nil {
		err = ef.f.Sync()
	}
	if err == nil {
		err = os.Rename(ef.tmpPath, ef.path)
	}
	if err != nil {
		ef.abort()
		return err
	}
	return ef.f.Close()
}

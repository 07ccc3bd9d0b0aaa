package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"gopostfix/libglobal/util/syserr"
)

// The owner, group and mode changes of post-install are done here with
// the effect and the diagnostics (C locale) of the coreutils commands the
// script runs: chown [-R], chgrp [-R], chmod, find -type d -exec chmod
// and mkdir. Each returns false after printing its complaint on stderr.

// quoteArg quotes a file name as coreutils does in the C locale.
func quoteArg(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func toolError(tool, format string, args ...any) bool {
	fmt.Fprintf(os.Stderr, "%s: %s\n", tool, fmt.Sprintf(format, args...))
	return false
}

// lookupID resolves a user or group name, or a number, like chown.
func lookupID(name string, group bool) (int, bool) {
	if group {
		if g, err := user.LookupGroup(name); err == nil {
			n, _ := strconv.Atoi(g.Gid)
			return n, true
		}
	} else if u, err := user.Lookup(name); err == nil {
		n, _ := strconv.Atoi(u.Uid)
		return n, true
	}
	n, err := strconv.ParseUint(name, 10, 32)
	if err != nil || n == 1<<32-1 {
		return 0, false
	}
	return int(n), true
}

// changeOwner is "chown [-R] OWNER PATH" (group < 0) or "chgrp [-R] GROUP
// PATH" (owner < 0). Without -R a symbolic link is followed; with -R
// nothing is followed and links themselves change.
func changeOwner(tool, path string, uid, gid int, recursive bool) bool {
	if !recursive {
		if err := os.Chown(path, uid, gid); err != nil {
			return ownerError(tool, path, err)
		}
		return true
	}
	if _, err := os.Lstat(path); err != nil {
		return ownerError(tool, path, err)
	}
	ok := true
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			ok = toolError(tool, "cannot read directory %s: %s", quoteArg(p), syserr.Text(err))
			return nil
		}
		if err := os.Lchown(p, uid, gid); err != nil {
			ok = ownerError(tool, p, err)
		}
		return nil
	})
	return ok
}

func ownerError(tool, path string, err error) bool {
	if errors.Is(err, fs.ErrNotExist) {
		return toolError(tool, "cannot access %s: %s", quoteArg(path), syserr.Text(err))
	}
	what := "ownership"
	if tool == "chgrp" {
		what = "group"
	}
	return toolError(tool, "changing %s of %s: %s", what, quoteArg(path), syserr.Text(err))
}

// parseMode reads a numeric chmod mode; digits says how many were given
// (with fewer than five, chmod keeps a directory's set-id bits).
func parseMode(s string) (mode uint32, digits int, ok bool) {
	if s == "" || len(s) > 12 {
		return 0, 0, false
	}
	n, err := strconv.ParseUint(s, 8, 32)
	if err != nil || n > 0o7777 {
		return 0, 0, false
	}
	return uint32(n), len(s), true
}

// changeMode is "chmod MODE PATH" for one file or directory.
func changeMode(path, mode string) bool {
	m, digits, ok := parseMode(mode)
	if !ok {
		toolError("chmod", "invalid mode: %s", quoteArg(mode))
		fmt.Fprintf(os.Stderr, "Try 'chmod --help' for more information.\n")
		return false
	}
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return toolError("chmod", "cannot access %s: %s", quoteArg(path), syserr.Text(err))
	}
	if st.Mode&syscall.S_IFMT == syscall.S_IFDIR && digits < 5 {
		m |= st.Mode & (syscall.S_ISUID | syscall.S_ISGID)
	}
	if err := syscall.Chmod(path, m); err != nil {
		return toolError("chmod", "changing permissions of %s: %s", quoteArg(path), syserr.Text(err))
	}
	return true
}

// changeDirModes is "find PATH -type d -exec chmod MODE {} ;": every
// directory at or below PATH, links not followed; find's own complaints
// and chmod's do not fail the step, a missing PATH does.
func changeDirModes(path, mode string) bool {
	if _, err := os.Lstat(path); err != nil {
		return toolError("find", "%s: %s", quoteArg(path), syserr.Text(err))
	}
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			toolError("find", "%s: %s", quoteArg(p), syserr.Text(err))
			return nil
		}
		if d.IsDir() {
			changeMode(p, mode)
		}
		return nil
	})
	return true
}

// makeDir is "mkdir PATH" (the umask is 022).
func makeDir(path string) bool {
	if err := syscall.Mkdir(path, 0o777); err != nil {
		return toolError("mkdir", "cannot create directory %s: %s", quoteArg(path), syserr.Text(err))
	}
	return true
}

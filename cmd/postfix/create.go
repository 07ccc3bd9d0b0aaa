package main

import (
	"errors"
	"fmt"
	"gopostfix/libglobal/util/syserr"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// applyFile walks one postfix-files file: it creates missing directories
// (create-missing), sets owner, group and mode (set-permissions, or
// upgrade-permissions for entries flagged "u") and notes obsolete files.
// It returns -1 to go on, or the exit status.
func (p *postInstall) applyFile(file string) int {
	f, err := os.Open(file)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %d: cannot open %s: %s\n", p.self, scriptLineOpen, file, dashErrno(err))
		return 2
	}
	entries := readFileEntries(f)
	f.Close()
	for _, e := range entries {
		if rc := p.applyEntry(file, e); rc >= 0 {
			return rc
		}
	}
	return -1
}

func (p *postInstall) applyEntry(file string, e fileEntry) int {
	if !strings.HasPrefix(e.path, "$") {
		return -1
	}
	if !p.updateShared && !isNonShared(e.path) {
		return -1
	}
	switch e.typ {
	case "h", "l":
		return -1
	case "d", "f":
	default:
		fmt.Fprintf(os.Stderr, "unknown type %s for %s in %s\n", e.typ, strings.Join(strings.Fields(e.path), " "), file)
		return 1
	}
	path, owner, group, flags := p.field(e.path), p.field(e.owner), p.field(e.group), p.field(e.flags)
	if path == "no" || strings.HasPrefix(path, "no/") {
		return -1
	}
	upgrade := strings.Contains(flags, "u")
	createFlag := strings.Contains(flags, "c")
	recursive := strings.Contains(flags, "r")
	if strings.ContainsAny(flags, "1i") && !readable(path) && p.vars["config_directory"] != p.defConfig {
		return -1
	}
	if strings.Contains(flags, "o") {
		if readable(path) && e.typ != "d" {
			p.obsolete = append(p.obsolete, path)
		}
		return -1
	}
	set := false
	switch {
	case p.create && e.typ == "d" && createFlag && !isDir(path):
		if !makeDir(path) {
			return 1
		}
		set = true
	case p.setPerms:
		set = true
	case p.upgradePerms && upgrade:
		set = true
	}
	if set && !setPermission(path, e.typ, owner, group, e.mode, recursive) {
		return 1
	}
	return -1
}

// field canonicalises a postfix-files field: "-" is empty and a field
// starting with "$" is expanded.
func (p *postInstall) field(s string) string {
	switch {
	case s == "-":
		return ""
	case strings.HasPrefix(s, "$"):
		return expandShellVars(s, p.vars)
	}
	return s
}

func isNonShared(path string) bool {
	for _, name := range nonShared {
		if strings.HasPrefix(path, "$"+name) {
			return true
		}
	}
	return false
}

// setPermission is the script's chown, chgrp and chmod of one entry.
func setPermission(path, typ, owner, group, mode string, recursive bool) bool {
	if owner == "" {
		toolError("chown", "missing operand after %s", quoteArg(path))
		fmt.Fprintf(os.Stderr, "Try 'chown --help' for more information.\n")
		return false
	}
	uid, ok := lookupID(owner, false)
	if !ok {
		return toolError("chown", "invalid user: %s", quoteArg(owner))
	}
	if !changeOwner("chown", path, uid, -1, recursive) {
		return false
	}
	if group != "" {
		gid, ok := lookupID(group, true)
		if !ok {
			return toolError("chgrp", "invalid group: %s", quoteArg(group))
		}
		if !changeOwner("chgrp", path, -1, gid, recursive) {
			return false
		}
	}
	if typ == "d" && recursive {
		return changeDirModes(path, mode)
	}
	return changeMode(path, mode)
}

// scriptLineOpen is the line of Debian's post-install whose redirection
// reads each postfix-files file; the shell names it in its complaint.
const scriptLineOpen = 497

// dashErrno words an open error as dash does.
func dashErrno(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "No such file"
	}
	return syserr.Text(err)
}

func readable(path string) bool { return syscall.Access(path, 4) == nil }

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

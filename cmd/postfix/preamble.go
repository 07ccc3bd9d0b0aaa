package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// scriptDir is a directory postfix-script changes into before any
// command, with the line of Debian's script whose "cd" the shell names
// when it fails, and the script's fatal message.
type scriptDir struct {
	param string
	line  int
	what  string
}

var (
	programDirs = []scriptDir{
		{"command_directory", 56, "no Postfix command directory %s!"},
		{"daemon_directory", 60, "no Postfix daemon directory %s!"},
	}
	dataDirs = []scriptDir{
		{"config_directory", 68, "no Postfix configuration directory %s!"},
		{"shlib_directory", 74, "no Postfix shared-library directory %s!"},
		{"meta_directory", 79, "no Postfix meta directory %s!"},
		{"queue_directory", 83, "no Postfix queue directory %s!"},
	}
)

// scriptPreamble is what postfix-script checks before any command: the
// installation directories, the master program and a working postconf.
// It returns -1 when all is well, or the exit status.
func (c *ctl) scriptPreamble() int {
	if rc := c.scriptCd(programDirs); rc >= 0 {
		return rc
	}
	if fi, err := os.Stat(c.dirs["daemon_directory"] + "/master"); err != nil || !fi.Mode().IsRegular() {
		return c.fatal("no Postfix master program %s/master!", c.dirs["daemon_directory"])
	}
	if rc := c.scriptCd(dataDirs); rc >= 0 {
		return rc
	}
	postconf := c.dirs["command_directory"] + "/postconf"
	cmd := exec.Command(postconf, "-dh", "config_directory")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return c.fatal("cannot execute %s!", postconf)
	}
	if c.shared, err = c.sharedFiles(postconf, strings.TrimSpace(string(out)), c.dirs["config_directory"]); err != nil {
		return c.fatal("cannot execute %s!", postconf)
	}
	return -1
}

// scriptCd is the script's "cd DIR" for each directory (shlib_directory
// "no" is skipped), with dash's complaint and the script's fatal message
// for the first that fails. The process stays in the queue directory,
// where the script ends up.
func (c *ctl) scriptCd(dirs []scriptDir) int {
	for _, d := range dirs {
		dir := c.dirs[d.param]
		if d.param == "shlib_directory" && dir == "no" || dir == "" || isDir(dir) {
			continue
		}
		fmt.Fprintf(os.Stderr, "%s/postfix-script: %d: cd: can't cd to %s\n", c.dirs["daemon_directory"], d.line, dir)
		return c.fatal(d.what, dir)
	}
	return -1
}

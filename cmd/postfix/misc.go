package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
)

// lineRunPath is the line of Debian's postfix-script that runs
// "postfix /path/command ..."; dash names it when the command fails to
// start.
const lineRunPath = 413

// runPath is "postfix /path/command args...": the command runs with the
// environment the scripts get, and its exit status is postfix's.
func (c *ctl) runPath(args []string) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if err == nil {
		return 0
	}
	if _, ok := err.(*exec.ExitError); ok {
		return exitCode(err)
	}
	what, rc := "Permission denied", 126
	if errors.Is(err, fs.ErrNotExist) {
		what, rc = "not found", 127
	}
	fmt.Fprintf(os.Stderr, "%s/postfix-script: %d: %s: %s\n", c.dirs["daemon_directory"], lineRunPath, args[0], what)
	return rc
}

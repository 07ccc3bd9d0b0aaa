package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/util/syserr"
)

// lineKill and lineCompressor are the lines, counted inside the script's command
// substitution, that signal master and run the compressor; dash names
// them when they fail.
const (
	lineKill       = 5
	lineCompressor = 7
)

// logrotate is "postfix logrotate": rename maillog_file with the
// strftime suffix, make postlogd reopen it (SIGHUP to master when it
// runs), wait a second and compress the old file. Every failure is one
// fatal message that carries the collected error output, newlines
// included (postlog shows them as '?').
func (c *ctl) logrotate(args []string) int {
	if len(args) != 1 {
		return c.fatal("usage postfix %s (no arguments)", args[0])
	}
	vals := map[string]string{}
	for _, name := range []string{"maillog_file", "maillog_file_compressor", "maillog_file_rotate_suffix"} {
		v, _ := c.cfg.Raw(name)
		if v == "" {
			return c.fatal("empty '%s' parameter value - logfile rotation failed", name)
		}
		vals[name] = v
	}
	file := vals["maillog_file"]
	if strings.HasPrefix(file, "/dev/") {
		return c.fatal("not rotating '%s'", file)
	}
	var errs bytes.Buffer
	if !c.rotate(&errs, file, vals["maillog_file_rotate_suffix"], vals["maillog_file_compressor"]) {
		return c.fatal("logfile '%s' rotation failed: %s", file, strings.TrimRight(errs.String(), "\n"))
	}
	return 0
}

func (c *ctl) rotate(errs *bytes.Buffer, file, suffixFormat, compressor string) bool {
	words := strings.Fields(suffixFormat)
	if len(words) > 1 {
		fmt.Fprintf(errs, "date: extra operand %s\nTry 'date --help' for more information.\n", quoteArg(words[1]))
		return false
	}
	suffix := strftime(strings.Join(words, ""), time.Now())
	rotated := file + "." + suffix
	if err := os.Rename(file, rotated); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(errs, "mv: cannot stat %s: %s\n", quoteArg(file), syserr.Text(err))
		} else {
			fmt.Fprintf(errs, "mv: cannot move %s to %s: %s\n", quoteArg(file), quoteArg(rotated), syserr.Text(err))
		}
		return false
	}
	if c.running() && !c.hangup(errs) {
		return false
	}
	time.Sleep(time.Second)
	cmd := exec.Command(compressor, rotated)
	cmd.Stdout, cmd.Stderr = errs, errs
	err := cmd.Run()
	if err == nil {
		return true
	}
	if _, ok := err.(*exec.ExitError); !ok {
		what := "Permission denied"
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, exec.ErrNotFound) {
			what = "not found"
		}
		fmt.Fprintf(errs, "%s/postfix-script: %d: %s: %s\n", c.dirs["daemon_directory"], lineCompressor, compressor, what)
	}
	return false
}

// hangup is the script's "kill -HUP `sed 1q pid/master.pid`", with sed's
// and dash's complaints.
func (c *ctl) hangup(errs *bytes.Buffer) bool {
	where := fmt.Sprintf("%s/postfix-script: %d: kill: ", c.dirs["daemon_directory"], lineKill)
	data, err := os.ReadFile("pid/master.pid")
	if err != nil {
		fmt.Fprintf(errs, "sed: can't read pid/master.pid: %s\n", syserr.Text(err))
	}
	first, _, _ := strings.Cut(string(data), "\n")
	words := strings.Fields(first)
	if len(words) == 0 {
		errs.WriteString(where + "Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]\n")
		return false
	}
	ok := true
	for _, w := range words {
		pid, err := strconv.Atoi(w)
		if err != nil {
			errs.WriteString(where + "Illegal number: " + w + "\n")
			return false
		}
		if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
			errs.WriteString(where + syserr.Text(err) + "\n")
			ok = false
		}
	}
	return ok
}

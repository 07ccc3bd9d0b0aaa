package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// checkFatal is postfix-script check-fatal: create what is missing, then
// refuse to go on without master.cf, without a postlog service when
// maillog_file is set, or when postsuper finds misplaced queue files.
func (c *ctl) checkFatal() int {
	if c.newPostInstall().run([]string{"create-missing"}) != 0 {
		return c.fatal("unable to create missing queue directories")
	}
	if _, err := os.Stat(filepath.Join(c.dirs["config_directory"], "master.cf")); err != nil {
		return c.fatal("no %s/master.cf file found", c.dirs["config_directory"])
	}
	if v, _ := c.cfg.Raw("maillog_file"); v != "" && !c.hasPostlog() {
		return c.fatal("missing 'postlog' service in master.cf - run 'postfix upgrade-configuration'")
	}
	if p := c.commandPath("postsuper"); p != "" {
		cmd := exec.Command(p)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if cmd.Run() != nil {
			return 1
		}
	}
	return 0
}

// hasPostlog tells whether master.cf has a postlog/unix-dgram entry.
func (c *ctl) hasPostlog() bool {
	data, err := os.ReadFile(filepath.Join(c.dirs["config_directory"], "master.cf"))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "postlog" && f[1] == "unix-dgram" {
			return true
		}
	}
	return false
}

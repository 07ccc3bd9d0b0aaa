package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
)

// queueDir is one postfix-files entry for the queue or data directory.
type queueDir struct {
	path  string // relative to $queue_directory, or "$data" for data_directory
	owner string // "root" or "$mail_owner"
	group string // "" or "$setgid_group"
	mode  os.FileMode
}

// queueDirs are postfix-files' directory entries that postfix
// check/set-permissions maintain.
var queueDirs = []queueDir{
	{"$data", "$mail_owner", "", 0o700},
	{".", "root", "", 0o755},
	{"active", "$mail_owner", "", 0o700}, {"bounce", "$mail_owner", "", 0o700},
	{"corrupt", "$mail_owner", "", 0o700}, {"defer", "$mail_owner", "", 0o700},
	{"deferred", "$mail_owner", "", 0o700}, {"flush", "$mail_owner", "", 0o700},
	{"hold", "$mail_owner", "", 0o700}, {"incoming", "$mail_owner", "", 0o700},
	{"private", "$mail_owner", "", 0o700},
	{"maildrop", "$mail_owner", "$setgid_group", 0o730},
	{"public", "$mail_owner", "$setgid_group", 0o710},
	{"pid", "root", "", 0o755}, {"saved", "$mail_owner", "", 0o700},
	{"trace", "$mail_owner", "", 0o700},
}

func (c *ctl) dirPath(d queueDir) string {
	if d.path == "$data" {
		return c.dirs["data_directory"]
	}
	return filepath.Join(c.dirs["queue_directory"], d.path)
}

func (c *ctl) ids(d queueDir) (int, int, error) {
	uid, gid := 0, -1
	if d.owner == "$mail_owner" {
		u, err := user.Lookup(c.dirs["mail_owner"])
		if err != nil {
			return 0, 0, fmt.Errorf("unknown user %s", c.dirs["mail_owner"])
		}
		uid, _ = strconv.Atoi(u.Uid)
	}
	if d.group == "$setgid_group" {
		g, err := user.LookupGroup(c.dirs["setgid_group"])
		if err != nil {
			return 0, 0, fmt.Errorf("unknown group %s", c.dirs["setgid_group"])
		}
		gid, _ = strconv.Atoi(g.Gid)
	}
	return uid, gid, nil
}

// createMissing is post-install create-missing for the queue and data
// directories: create what is missing, with its owner and mode.
func (c *ctl) createMissing(fix bool) error {
	for _, d := range queueDirs {
		p := c.dirPath(d)
		uid, gid, err := c.ids(d)
		if err != nil {
			return err
		}
		_, statErr := os.Stat(p)
		if statErr == nil && !fix {
			continue
		}
		if statErr != nil {
			if err := os.MkdirAll(p, d.mode); err != nil {
				return err
			}
		}
		if err := os.Chown(p, uid, gid); err != nil {
			return err
		}
		if err := os.Chmod(p, d.mode); err != nil {
			return err
		}
	}
	return nil
}

// checkFatal is postfix-script check-fatal.
func (c *ctl) checkFatal() int {
	if err := c.createMissing(false); err != nil {
		return c.fatal("unable to create missing queue directories")
	}
	if _, err := os.Stat(filepath.Join(c.dirs["config_directory"], "master.cf")); err != nil {
		return c.fatal("no %s/master.cf file found", c.dirs["config_directory"])
	}
	if c.str("maillog_file") != "" && !c.hasPostlog() {
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

// setPermissions fixes the owners and modes of the queue and data
// directories (post-install set-permissions, for those entries).
func (c *ctl) setPermissions() int {
	if err := c.createMissing(true); err != nil {
		c.log.Exit = func(int) {}
		c.log.Fatalf("%v", err)
		return 1
	}
	return 0
}

// postlogEntry is the master.cf line upgrade-configuration adds.
const postlogEntry = "postlog   unix-dgram n  -       n       -       1       postlogd\n"

// upgradeConfiguration adds missing services that this version needs.
func (c *ctl) upgradeConfiguration() int {
	if c.hasPostlog() {
		return 0
	}
	path := filepath.Join(c.dirs["config_directory"], "master.cf")
	data, err := os.ReadFile(path)
	if err != nil {
		return c.fatal("no %s file found", path)
	}
	if len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")) {
		data = append(data, '\n')
	}
	data = append(data, postlogEntry...)
	tmp := path + ".tmp"
	if err := writeSync(tmp, data); err != nil {
		return c.fatal("%s: %v", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return c.fatal("%s: %v", path, err)
	}
	c.script.Infof("adding the postlog service to %s", path)
	return 0
}

func writeSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

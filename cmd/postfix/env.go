package main

import (
	"os"
	"strings"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/params"
)

// exported are the parameters the postfix command puts into the
// environment of its scripts (and of "postfix /command").
var exported = []string{"command_directory", "daemon_directory", "data_directory",
	"meta_directory", "queue_directory", "config_directory", "shlib_directory",
	"mail_owner", "setgid_group", "sendmail_path", "mailq_path", "newaliases_path",
	"manpage_directory", "sample_directory", "readme_directory", "html_directory"}

// lastCompatName is the compatibility level of this Postfix version's
// defaults; a lower level gets the backwards-compatibility notice.
const lastCompatName = "3.6"

func lastCompatLevel() int64 {
	n, _ := params.ParseCompatLevel(lastCompatName)
	return n
}

// cleanEnv keeps only what import_environment names, then applies its
// name=value entries (Postfix's clean_env), so that a command behaves the
// same by hand and at boot.
func (c *ctl) cleanEnv() {
	os.Setenv("MAIL_LOGTAG", c.str("syslog_name"))
	old := os.Environ()
	os.Clearenv()
	for _, item := range mailconf.SplitList(c.str("import_environment")) {
		name, value, assign := strings.Cut(item, "=")
		if assign {
			os.Setenv(name, value)
			continue
		}
		for _, kv := range old {
			if strings.HasPrefix(kv, name+"=") {
				os.Setenv(name, kv[len(name)+1:])
			}
		}
	}
}

// exportParams sets PATH, MAIL_CONFIG and the exported parameters.
func (c *ctl) exportParams() {
	for _, name := range exported {
		c.dirs[name] = c.str(name)
	}
	os.Setenv("PATH", "/bin:/usr/bin:/sbin:/usr/sbin")
	os.Setenv(mailconf.EnvDir, c.dirs["config_directory"])
	for _, name := range exported {
		os.Setenv(name, c.dirs[name])
	}
}

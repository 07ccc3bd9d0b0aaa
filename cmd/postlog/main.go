// Command postlog is Postfix's logging utility for shell scripts
// (postlog(1)): it logs its arguments as one record, or each line of
// standard input as one record, through the same channel as every Postfix
// program (postlogd when maillog_file is set, syslog otherwise), and to
// standard error when that is a terminal.
//
// Options: -c config_dir, -i (ignored, the pid is always logged),
// -p priority (info, warn, warning, error, err, fatal, crit, panic),
// -t tag (default "$syslog_name/postlog"), -v.
//
// postlog is installed set-gid postdrop, as in Postfix 3.7: it censors its
// process name, accepts a non-default configuration directory from an
// unprivileged user only when the default main.cf lists it in
// alternate_config_directories or multi_instance_directories, keeps only
// import_environment, and replaces unprintable bytes in the tag and the
// text with '?'. When postlogd is not running, it appends to maillog_file
// itself (dying with "logfile ... is not available" when it cannot). After
// a fatal or panic record it pauses for one second, as other Postfix
// programs do; its exit status is 0 once the text is logged.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args, os.Stdin))
}

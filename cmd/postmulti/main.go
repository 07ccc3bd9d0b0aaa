// Command postmulti is the Postfix multi-instance manager (postmulti(1)):
// it lists instances (-l), runs a postfix(1) command (-p) or any command
// (-x) for each selected instance, and creates, imports, destroys,
// deports, enables, disables, names or initializes instances (-e) through
// $daemon_directory/postmulti-script, exactly as Postfix does.
//
// The primary instance is the one in the default configuration directory;
// postmulti refuses any other (MAIL_CONFIG). Secondary instances are the
// directories in multi_instance_directories; their queue and data
// directories, names and groups are read with "postconf -xc DIR". With
// multi_instance_directories empty (a single instance) the primary
// instance is always enabled. Instances are selected with -a (all),
// -g group or -i name, where the name may be the instance name, its
// suffix after "postfix-", its configuration directory, or "-" for the
// primary instance.
//
// Messages, their order and exit statuses are Postfix's; they go to the
// log (postlogd or syslog) and to standard error when it is a terminal.
package main

import "os"

func main() {
	os.Exit(run(os.Args))
}

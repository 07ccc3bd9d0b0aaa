// Command postmulti manages several Postfix instances on one host: it
// lists them, runs commands for each, and creates or removes them.
//
// It is the Go reimplementation of postmulti(1) of Postfix 3.7. The
// primary instance is the one in the default configuration directory;
// postmulti refuses to work from any other (MAIL_CONFIG). Secondary
// instances are the configuration directories listed in
// multi_instance_directories of the primary main.cf; each one's
// queue_directory, data_directory, multi_instance_name,
// multi_instance_group and multi_instance_enable are read with "postconf
// -xc DIR". No two instances may claim the same directory or name. With
// multi_instance_directories empty (one instance only) the primary
// instance is always enabled.
//
// # Synopsis
//
//	postmulti -l [-aRv] [-g group] [-i name]
//	postmulti -p [-av] [-g group] [-i name] postfix-command ...
//	postmulti -x [-aRv] [-g group] [-i name] command ...
//	postmulti -e action [-av] [-g group] [-i name] [-G group] [-I name] [param=value ...]
//
// # Options
//
// Exactly one of -e, -l, -p and -x says what to do, and at most one of -a,
// -g and -i which instances (all of them by default):
//
//	-l
//		List the selected instances, one per line: name, group, whether it
//		is enabled (y or n) and its configuration directory; "-" stands for
//		no name or no group.
//	-p postfix-command ...
//		Run "postfix postfix-command" from command_directory for each
//		selected instance. Commands listed in postmulti_start_commands
//		become "postfix check" for disabled instances; commands in
//		postmulti_stop_commands skip disabled instances and run in reverse
//		order; those in postmulti_control_commands skip disabled instances.
//	-x command ...
//		Run any command for each selected instance, with MAIL_CONFIG and
//		the instance's command_directory, daemon_directory,
//		config_directory, queue_directory, data_directory,
//		multi_instance_name, multi_instance_group and
//		multi_instance_enable in the environment.
//	-e action
//		Change the instances, through postmulti-script in
//		daemon_directory: init (prepare the primary instance for
//		multi-instance operation), create (a new secondary instance),
//		import (an existing one), destroy (remove a disabled, empty
//		instance), deport (take an instance off the list without removing
//		it), enable, disable, and assign (a new name with -I or group with
//		-G; "-" removes it).
//	-a
//		Select all instances.
//	-g group
//		Select the instances of group.
//	-i name
//		Select one instance: its name, the name without its "postfix-"
//		prefix, its configuration directory, or "-" for the primary
//		instance.
//	-G group, -I name
//		The group or name to give an instance with -e create, import or
//		assign.
//	-R
//		Reverse the order of the instances (with -l and -x).
//	-v
//		Log more; repeat for even more. Child processes are told to do
//		the same.
//
// # Diagnostics
//
// Messages, their order and the exit statuses are Postfix's. They go to
// the mail log (postlogd(8) or syslog(3)) and to standard error when that
// is a terminal. A command that fails for one instance makes the exit
// status 1; selecting no instance at all is a fatal error.
//
// # Differences from Postfix
//
// None known.
package main

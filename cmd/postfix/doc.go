// Command postfix is the Postfix control program, the Go version of
// postfix(1) of Postfix 3.7.11 together with the scripts it runs
// (postfix-script, post-install and postfix-tls-script): the same
// commands, messages, exit status and files written.
//
// The scripts' messages are logged as $syslog_name/postfix-script (or
// postfix-tls-script) through "$command_directory/postlog", which also
// shows them on standard error when that is a terminal. Where a script
// prints what a shell tool says (chown, mkdir, ed, grep, mv, date, dash's
// own complaints with the script's line number, fmt's filled paragraphs),
// the same text is printed. Like the scripts, postfix asks postconf for
// configuration values and main.cf edits, and master -t whether the mail
// system runs.
//
// # Synopsis
//
//	postfix [-Dv] [-c config_dir] command [argument ...]
//
// # Options
//
//	-c config_dir
//		Read main.cf and master.cf from config_dir (an absolute path);
//		this also disables multi-instance dispatch.
//	-D
//		Run the daemons under debugger_command (exported as MAIL_DEBUG).
//	-v
//		More verbose logging (exported as MAIL_VERBOSE).
//
// # Commands
//
//	start, start-fg, stop, quick-stop, abort, drain, reload, flush, status
//		Start, stop or signal master(8), as postfix-script does.
//	check
//		Create missing queue and data directories (post-install
//		create-missing), require master.cf and, with maillog_file, a
//		postlog service, run postsuper, then warn about owners and
//		permissions of the installation.
//	set-permissions [name=value ...]
//		Set the owner, group and mode of every file and directory that
//		$meta_directory/postfix-files and postfix-files.d/* list, creating
//		missing directories; name=value changes an installation parameter
//		such as mail_owner or setgid_group and saves it in main.cf.
//	upgrade-configuration [name=value ...]
//		Create missing directories, add the master.cf services that older
//		versions lack, fix outdated entries, hash the defer queues, set
//		inet_protocols = ipv4 when main.cf does not choose, and report
//		installed files that are no longer part of Postfix.
//	post-install [name=value ...] command ...
//		Run post-install: create-missing, set-permissions,
//		upgrade-permissions, upgrade-configuration, upgrade-source,
//		upgrade-package or first-install-reminder.
//	logrotate
//		Rename maillog_file with the maillog_file_rotate_suffix time
//		stamp, make postlogd reopen it and compress the old file with
//		maillog_file_compressor.
//	tls subcommand ...
//		Manage TLS in main.cf: enable-client, enable-server,
//		new-server-key, new-server-cert, deploy-server-cert,
//		output-server-csr, output-server-tlsa, all-default-client,
//		all-default-server (see postfix-tls(1)).
//	/path/command [argument ...]
//		Run a command with the environment the scripts get.
//
// # Environment
//
// Only the import_environment variables are kept. The scripts' parameters
// (command_directory, daemon_directory, data_directory, meta_directory,
// queue_directory, config_directory, shlib_directory, mail_owner,
// setgid_group, sendmail_path, mailq_path, newaliases_path,
// manpage_directory, sample_directory, readme_directory, html_directory),
// MAIL_CONFIG, MAIL_LOGTAG and PATH are exported to every command run.
//
// # Differences
//
// The scripts are not needed: $daemon_directory/postfix-script and its
// companions are not run, so a missing or changed script makes no
// difference. Private keys and certificates of "postfix tls" are made with
// Go's crypto instead of openssl(1) (the same kinds of key, PEM types and
// certificate fields). fmt(1)'s filling is reproduced for paragraphs of up
// to 1000 words.
package main

// Command postlogd is the Postfix log server: it writes the records that
// Postfix programs log into maillog_file, for systems that keep the mail
// log without syslog (containers, "postfix start-fg").
//
// It is the Go reimplementation of postlogd(8) of Postfix 3.7. Every
// Postfix program, when maillog_file is set, sends each log record as one
// datagram to the postlog service (the unix-dgram socket
// public/$postlog_service_name). postlogd, a single process, appends each
// record and a newline to maillog_file. The file is opened once, before
// the process gives up its privileges, the way Postfix opens files it does
// not trust: an existing file must be a regular file with one hard link,
// reached without a symbolic link that root does not own; a missing one is
// created with mode 0644. maillog_file may be /dev/stdout, which is how
// "postfix start-fg" shows the log on the terminal.
//
// When maillog_file is empty (for example just after a reload that turned
// it off), records that still arrive are passed on to syslog(3) with the
// program name and process ID from the record, without the date, host
// name and program prefix that the sender put in front of them.
//
// The master.cf entry is "postlog unix-dgram n - n - 1 postlogd"; the
// process limit must be 1. An argument after the generic options is a
// fatal error, and so is a maillog_file that cannot be opened.
//
// # Differences from Postfix
//
// None known.
package main

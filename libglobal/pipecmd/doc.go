// Package pipecmd runs an external command for a delivery agent and
// feeds it a message, Postfix's src/global/pipe_command.c with
// exec_command.c, clean_env.c and sys_exits.c: the pipe(8) agent runs an
// argument vector from master.cf, local(8) a command line from an alias,
// .forward file or mailbox_command.
//
// The command runs in its own session (so that it and its offspring can
// be killed as a group) with the given user and group IDs, optionally
// inside a chroot and a working directory, with an environment made of
// the export_environment variables, PATH=/usr/bin:/bin and the caller's
// variables. Its standard output and error go to one pipe that is read
// only after the message was written; the first 4096 bytes become part of
// the delivery status. Every write, the read and the wait for the exit
// are limited to the time limit each; when one runs out the command is
// killed and the delivery bounces with "Command time limit exceeded".
//
// The exit status is mapped as Postfix does: output starting with an
// enhanced status code ("4.x.y text", "5.x.y text") decides; else a
// <sysexits.h> code gives its status and text (75 defers as "temporary
// failure"); other codes bounce with "Command died with status N"; death
// by a signal defers.
//
// Environ and LookPath are also spawn(8)'s (spawn_command sets up a
// command's environment and finds its program the same way).
//
// Deliberate differences: the process is started with os/exec (fork and
// exec in one step), so a working directory or program that cannot be
// used is noticed by the parent; the child's fatal message ("cannot
// change directory to ...", "pipe_command: execvp ...") is produced by
// the parent in the words and with the exit status (75) Postfix's child
// would use.
package pipecmd

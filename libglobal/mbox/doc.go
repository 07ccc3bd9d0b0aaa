// Package mbox writes mail to UNIX mailbox files the way Postfix's
// delivery agents do: src/global/mbox_open.c, mbox_conf.c,
// dot_lockfile.c, deliver_flock.c, mail_copy.c, and the safe_open(3) and
// myflock(3) routines of src/util.
//
// A mailbox is locked in Postfix's order (mailbox_delivery_lock): a
// "PATH.lock" dot-lock file first, then the file is opened without
// following non-root symlinks or hard links, then flock(2) and/or
// fcntl(2) exclusive locks are taken, each retried deliver_lock_attempts
// times with deliver_lock_delay (randomised by half) between tries. Copy
// then writes the "From " line, Return-Path:, X-Original-To: and
// Delivered-To: headers and the message from a queue file, quoting
// "From " lines, and on any error truncates the file back to its old
// length, so a failed delivery never leaves half a message behind.
//
// Errors carry Postfix's enhanced status code and reason text (an
// *Error), ready to be reported as a bounce or deferral.
package mbox

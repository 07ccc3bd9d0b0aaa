// Command postlock locks a mailbox file and runs a command (postlock(1)):
// it takes the locks of mailbox_delivery_lock (or -l) the way Postfix's
// delivery agents do (mbox_open: a "FOLDER.lock" dot-lock file, then the
// file opened or created mode 0600 without following untrusted symbolic
// links or hard links, then flock and/or fcntl locks, each retried
// deliver_lock_attempts times deliver_lock_delay apart), runs the command
// with execvp while holding them, releases them and exits with the
// command's status.
//
// Options: -c config_dir, -l lock_style (flock, fcntl, dotlock, in any
// combination), -v. Diagnostics go to standard error under argv[0] as
// given; a fatal error of postlock itself exits 75 (EX_TEMPFAIL), a
// command that cannot be executed exits 1, and a command killed by a
// signal makes the status 1.
package main

import "os"

func main() {
	os.Exit(run(os.Args))
}

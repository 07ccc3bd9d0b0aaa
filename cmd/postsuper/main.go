// Command postsuper is Postfix's superuser queue maintenance tool, as
// postsuper(1) of Postfix 3.7: -d (delete), -h (hold), -H (release), -r
// (requeue), -e (force expire), -f (expire and release) take a queue ID,
// ALL, or "-" to read IDs from standard input; -s and -S repair the queue
// structure (hash directories, file names that no longer match their
// inode), -p purges stale temporary files; queue names after the options
// restrict the queues. Without options it runs -s -p. Files move only by
// rename(2), so a crash never loses a message. It must run as root and
// works as mail_owner.
package main

import (
	"os"
	"path/filepath"
	"syscall"
	"time"

	"gopostfix/libglobal/maillog"
	"gopostfix/libglobal/util/msg"
)

func main() {
	syscall.Umask(022)
	prog := filepath.Base(os.Args[0])
	stderr := msg.NewWriterSink(prog, os.Stderr)
	log := msg.New(stderr)
	log.Printable = true
	logTo(log, prog, maillog.Settings{Fallback: true}, stderr)
	if os.Getenv("MAIL_VERBOSE") != "" {
		log.Verbose = 1
	}
	if os.Getuid() != os.Geteuid() {
		log.Fatalf("this postfix command must not run as a set-uid process")
	}
	if os.Getuid() != 0 {
		log.Fatalf("use of this command is reserved for the superuser")
	}
	cmd := parseArgs(log, append([]string{prog}, os.Args[1:]...))
	s := setup(log, cmd, func(settings maillog.Settings) {
		settings.Fallback = true
		logTo(log, prog, settings, stderr)
	})
	s.now = time.Now
	os.Exit(s.run(cmd, os.Stdin))
}

// logTo sends messages to standard error and to the mail log. postsuper
// writes maillog_file itself when postlogd is not running
// (MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK).
func logTo(log *msg.Logger, prog string, s maillog.Settings, stderr msg.Sink) {
	if _, err := maillog.Setup(log, prog, s, stderr); err != nil {
		log.Fatalf("%v", err)
	}
}

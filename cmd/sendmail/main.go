// Command sendmail is Postfix's Sendmail-compatible interface, as
// sendmail(1) of Postfix 3.7. In delivery mode (the default) it reads a
// message from standard input and hands it to postdrop, which it runs
// from command_directory, in queue-file record format; -t takes the
// recipients from the To, Cc and Bcc (or Resent-*) headers. Options people
// script against: -f/-r sender, -F full name, -i/-oi, -t, -N, -R, -V, -B,
// -G, -XV, -bv, -v, -C config, -o... (mostly ignored), -bp (mailq), -q
// (postqueue -f), -qR site, -qI id, -bd (postfix start), -bi/-I
// (newaliases), -bs (smtpd -S). Invoked as mailq it lists the queue, as
// newaliases it rebuilds the alias databases.
//
// Exit statuses are sysexits(3) codes, as in Postfix.
package main

import (
	"os"
	"path/filepath"
	"syscall"

	"gopostfix/libglobal/maillog"
	"gopostfix/libglobal/util/msg"
)

// EX_TEMPFAIL is what sendmail exits with after a fatal error.
const exTempFail = 75

func main() {
	syscall.Umask(022)
	prog := filepath.Base(os.Args[0])
	stderr := msg.NewWriterSink(prog, os.Stderr)
	log := msg.New(stderr)
	log.Printable = true
	log.Exit = func(int) { os.Exit(exTempFail) } // msg_cleanup(tempfail)
	logTo(log, maillog.Settings{}, stderr)
	if os.Getenv("MAIL_VERBOSE") != "" {
		log.Verbose = 1
	}
	argv := append([]string{prog}, os.Args[1:]...)
	sm := newSendmail(log, stderr, argv)
	sm.run(os.Stdin, os.Stdout)
}

// logTo sends messages to standard error and to the mail log (syslog or
// postlogd, as main.cf says) under the name sendmail, whatever the
// command was called (maillog_client_init(mail_task("sendmail"))).
func logTo(log *msg.Logger, s maillog.Settings, stderr msg.Sink) {
	if _, err := maillog.Setup(log, "sendmail", s, stderr); err != nil {
		log.Fatalf("%v", err)
	}
}

// Command postdrop is Postfix's mail posting agent, as postdrop(1) of
// Postfix 3.7: installed set-gid postdrop, it copies a message in queue
// file record format from standard input (as sendmail writes it) into a
// new file in the maildrop queue, then wakes up pickup through
// public/pickup. It reports protocol=postdrop_protocol and queue_id on
// standard output first, and status and reason at the end, in the
// attribute encoding sendmail reads. End of input before the end record
// cancels the submission; a file without sender or recipient is rejected
// and left behind incomplete, as Postfix does.
//
// Options: -c config_dir, -r (ignored), -v (only for root).
package main

import (
	"os"
	"os/signal"
	"syscall"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/maillog"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

func main() {
	syscall.Umask(022)
	stderr := msg.NewWriterSink("postdrop", os.Stderr)
	log := msg.New(stderr)
	log.Printable = true
	logTo(log, maillog.Settings{}, stderr)
	configDir := parseArgs(log, os.Args)
	mailconf.CheckConfigDir(log, os.Getenv(mailconf.EnvDir))
	cfg, err := mailconf.Load(configDir, log)
	if err != nil {
		log.Fatalf("%v", err)
	}
	logTo(log, libmaster.LogSettings(func(name string) string {
		v, err := cfg.Str(name)
		if err != nil {
			log.Fatalf("%v", err)
		}
		return v
	}), stderr)
	importEnv, err := cfg.Str("import_environment")
	if err != nil {
		log.Fatalf("%v", err)
	}
	if err := mailconf.CleanEnv(importEnv); err != nil {
		log.Fatalf("%v", err)
	}
	d := newDrop(log, cfg)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig := <-sigs
		d.removeFile()
		os.Exit(128 + int(sig.(syscall.Signal)))
	}()
	signal.Ignore(syscall.SIGPIPE, syscall.SIGXFSZ)
	os.Exit(d.run(os.Stdin, os.Stdout))
}

// logTo sends messages to standard error and to the mail log (syslog or
// postlogd, as main.cf says), as maillog_client_init does for postdrop.
func logTo(log *msg.Logger, s maillog.Settings, stderr msg.Sink) {
	if _, err := maillog.Setup(log, "postdrop", s, stderr); err != nil {
		log.Fatalf("%v", err)
	}
}

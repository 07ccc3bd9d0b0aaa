// Command postcat shows the contents of Postfix queue files, as
// postcat(1) of Postfix 3.7: postcat [-bdehoqrv] [-c config_dir]
// [-s offset] [files...]. Records are shown by name (message_size,
// sender, recipient, ...), times as asctime(3) text, the message header
// and body as text; -o and -d prefix offsets and decimal record types; -q
// looks queue IDs up in the maildrop, incoming, active, deferred, hold and
// saved queues; -v also shows padding and pointer records and logs
// verbosely (the library start-up lines of Postfix on stderr, see
// logStartup); -r does not follow pointer records. Without files postcat
// reads standard input.
//
// Output is byte-identical to Postfix's, including what it loses: text
// still buffered when postcat ends (a banner with no record after it, the
// newline after a final unterminated line) is not printed.
package main

import (
	"bufio"
	"os"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/msg"
)

func main() {
	log := msg.New(msg.NewWriterSink(os.Args[0], os.Stderr)) // postcat keeps argv[0] as given
	log.Printable = true
	o, configDir, files := parseArgs(log, os.Args)
	cfg, err := mailconf.Load(configDir, log)
	if err != nil {
		log.Fatalf("%v", err)
	}
	logStartup(log, cfg)
	out := bufio.NewWriter(os.Stdout)
	switch {
	case len(files) == 0:
		catStdin(out, log, o)
	case o.queue:
		dir, err := cfg.Str("queue_directory")
		if err != nil {
			log.Fatalf("%v", err)
		}
		l, err := queue.NewLayout("", cfg)
		if err != nil {
			log.Fatalf("%v", err)
		}
		catQueue(out, log, o, l, dir, files)
	default:
		catFiles(out, log, o, files)
	}
	os.Exit(0)
}

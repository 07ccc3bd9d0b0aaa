package main

import (
	"os"
	"path/filepath"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/trigger"
	"gopostfix/libglobal/util/getopt"
	"gopostfix/libglobal/util/msg"
)

func main() {
	prog := filepath.Base(os.Args[0])
	log := msg.New(msg.NewWriterSink(prog, os.Stderr))
	usage := func() { log.Fatalf("usage: %s [-c config_dir] [-v] class service request", prog) }
	opts, args := getopt.Parse(os.Args, "+c:v", os.Stderr)
	for _, o := range opts {
		switch o.Char {
		case 'c':
			os.Setenv("MAIL_CONFIG", o.Arg)
		case 'v':
			log.Verbose++
		default:
			usage()
		}
	}
	if len(args) != 3 {
		usage()
	}
	cfg, err := mailconf.Load("", log)
	if err != nil {
		log.Fatalf("%v", err)
	}
	queueDir, err := cfg.Str("queue_directory")
	if err != nil {
		log.Fatalf("%v", err)
	}
	timeout, err := cfg.Time("trigger_timeout")
	if err != nil {
		log.Fatalf("%v", err)
	}
	if err := os.Chdir(queueDir); err != nil {
		log.Fatalf("chdir %s: %v", queueDir, err)
	}
	if err := trigger.Send(queueDir, args[0], args[1], args[2], timeout); err != nil {
		if w, ok := err.(*trigger.Warning); ok {
			log.Warnf("%s", w.Text)
		}
		log.Warnf("Cannot contact class %s service %s - perhaps the mail system is down", args[0], args[1])
		os.Exit(1)
	}
}

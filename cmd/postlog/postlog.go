package main

import (
	"bufio"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/maillog"
	"gopostfix/libglobal/util/getopt"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// prog is the censored process name: whatever argv[0] says, postlog
// calls itself postlog.
const prog = "postlog"

// levels maps -p names to message levels (case-insensitive).
var levels = map[string]msg.Level{
	"info": msg.Info, "warn": msg.Warning, "warning": msg.Warning,
	"error": msg.Error, "err": msg.Error, "fatal": msg.Fatal, "crit": msg.Fatal,
	"panic": msg.Panic,
}

// logTo installs the log destination (and stderr when it is a terminal)
// under tag.
func logTo(log *msg.Logger, tag string, s maillog.Settings) {
	var keep []msg.Sink
	if maillog.IsTerminal(2) {
		keep = append(keep, msg.NewWriterSink(tag, os.Stderr))
	}
	s.Tag = tag
	if _, err := maillog.Setup(log, prog, s, keep...); err != nil {
		log.Fatalf("%v", err)
	}
}

func run(argv []string, stdin io.Reader) int {
	syscall.Umask(0o022)
	log := msg.New()
	log.Printable = true
	logTo(log, maillog.Tag(syslogName(nil), prog), maillog.Settings{Fallback: true})

	args := append([]string{prog}, argv[1:]...)
	opts, operands := getopt.Parse(args, "+c:ip:t:v", os.Stderr)
	level := msg.Info
	userTag := ""
	for _, o := range opts {
		switch o.Char {
		case 'c':
			os.Setenv(mailconf.EnvDir, o.Arg)
		case 'i':
		case 'p':
			l, ok := levels[strings.ToLower(o.Arg)]
			if !ok {
				log.Fatalf("bad severity: \"%s\"", o.Arg)
			}
			level = l
		case 't':
			userTag = o.Arg
		case 'v':
			log.Verbose++
		default:
			log.Fatalf("usage: %s [-c config_dir] [-i] [-p priority] [-t tag] [-v] [text]", prog)
		}
	}

	cfg := readConfig(log)
	settings := libmaster.LogSettings(func(name string) string { return str(log, cfg, name) })
	tag := maillog.Tag(syslogName(cfg), prog)
	logTo(log, tag, settings)
	if err := mailconf.CleanEnv(str(log, cfg, "import_environment")); err != nil {
		log.Fatalf("%v", err)
	}
	if userTag != "" {
		tag = msg.PrintableText(userTag)
	}
	settings.Fallback = true
	logTo(log, tag, settings)

	if len(operands) > 0 {
		log.Printf(level, "%s", strings.Join(operands, " "))
	} else {
		logLines(log, level, stdin)
	}
	if level >= msg.Fatal {
		time.Sleep(time.Second)
	}
	return 0
}

// logLines logs each line of r, without its newline, as one record; a
// last line without newline counts too.
func logLines(log *msg.Logger, level msg.Level, r io.Reader) {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			log.Printf(level, "%s", strings.TrimSuffix(line, "\n"))
		}
		if err != nil {
			return
		}
	}
}

// syslogName is syslog_name from main.cf, or before it is read
// MAIL_LOGTAG or "postfix" (mail_task).
func syslogName(cfg *mailconf.Config) string {
	if cfg != nil {
		if v, err := cfg.Str("syslog_name"); err == nil && v != "" {
			return v
		}
	}
	if v := os.Getenv("MAIL_LOGTAG"); v != "" {
		return v
	}
	return "postfix"
}

func str(log *msg.Logger, cfg *mailconf.Config, name string) string {
	v, err := cfg.Str(name)
	if err != nil {
		log.Fatalf("%v", err)
	}
	return v
}

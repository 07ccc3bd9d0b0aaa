package main

import (
	"os"
	"strings"
	"syscall"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/maillog"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// ctx is the primary configuration and the logger.
type ctx struct {
	log *msg.Logger
	cfg *mailconf.Config
}

func (c *ctx) str(name string) string {
	v, err := c.cfg.Str(name)
	if err != nil {
		c.log.Fatalf("%v", err)
	}
	return v
}

func (c *ctx) bool(name string) bool {
	v, err := c.cfg.Bool(name)
	if err != nil {
		c.log.Fatalf("%v", err)
	}
	return v
}

func run(argv []string) int {
	syscall.Umask(0o022)
	prog := progName(argv[0])
	log := msg.New()
	var keep []msg.Sink
	if maillog.IsTerminal(2) {
		keep = append(keep, msg.NewWriterSink(prog, os.Stderr))
	}
	if _, err := maillog.Setup(log, prog, maillog.Settings{Fallback: true}, keep...); err != nil {
		log.Fatalf("%v", err)
	}
	cfg, err := mailconf.Load("", log)
	if err != nil {
		log.Fatalf("%v", err)
	}
	if _, err := cfg.CheckGlobal(); err != nil {
		log.Fatalf("%v", err)
	}
	c := &ctx{log: log, cfg: cfg}
	settings := libmaster.LogSettings(c.str)
	settings.Fallback = true
	if _, err := maillog.Setup(log, prog, settings, keep...); err != nil {
		log.Fatalf("%v", err)
	}
	if dir, ok := os.LookupEnv(mailconf.EnvDir); ok && dir != mailconf.DefaultDir {
		log.Fatalf("Non-default configuration directory: %s=%s", mailconf.EnvDir, dir)
	}
	o := parseOptions(log, argv, prog)
	p := &pm{ctx: c}
	p.checkShared()
	if o.mode&iterAll != 0 {
		return p.iterate(o)
	}
	p.manage(o)
	return 1
}

// wordIn reports whether word is in a comma/space separated list.
func wordIn(list, word string) bool {
	for _, w := range strings.FieldsFunc(list, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n'
	}) {
		if w == word {
			return true
		}
	}
	return false
}

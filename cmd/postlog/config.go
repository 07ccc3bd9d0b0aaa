package main

import (
	"os"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/msg"
)

// readConfig reads main.cf as mail_conf_read does for a set-gid program:
// a non-default directory from an untrusted caller must be blessed by the
// default main.cf; then the global start-up checks run.
func readConfig(log *msg.Logger) *mailconf.Config {
	mailconf.CheckConfigDir(log, os.Getenv(mailconf.EnvDir))
	cfg, err := mailconf.Load("", log)
	if err != nil {
		log.Fatalf("%v", err)
	}
	if _, err := cfg.CheckGlobal(); err != nil {
		log.Fatalf("%v", err)
	}
	return cfg
}

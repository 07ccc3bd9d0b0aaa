package main

import (
	"os"
	"strings"

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

// cleanEnv keeps only the import_environment variables, and sets its
// name=value entries (clean_env).
func cleanEnv(list string) {
	keep := map[string]string{}
	var set [][2]string
	for _, item := range mailconf.SplitList(list) {
		if name, value, ok := strings.Cut(item, "="); ok {
			set = append(set, [2]string{name, value})
			continue
		}
		if v, ok := os.LookupEnv(item); ok {
			keep[item] = v
		}
	}
	os.Clearenv()
	for k, v := range keep {
		os.Setenv(k, v)
	}
	for _, kv := range set {
		os.Setenv(kv[0], kv[1])
	}
}

package main

import (
	"bufio"
	"os"
	"strings"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/readlline"
)

// readConfig reads main.cf as mail_conf_read does for a set-gid program:
// a non-default directory from an untrusted caller must be blessed by the
// default main.cf; then the global start-up checks run.
func readConfig(log *msg.Logger) *mailconf.Config {
	dir := os.Getenv(mailconf.EnvDir)
	if dir != "" && dir != mailconf.DefaultDir && untrusted() {
		checkDir(log, dir)
	}
	cfg, err := mailconf.Load("", log)
	if err != nil {
		log.Fatalf("%v", err)
	}
	if _, err := cfg.CheckGlobal(); err != nil {
		log.Fatalf("%v", err)
	}
	return cfg
}

// untrusted is Postfix's unsafe(): the process runs with privileges its
// caller does not have.
func untrusted() bool {
	if os.Getuid() == 0 && os.Geteuid() == 0 {
		return false
	}
	return os.Geteuid() != os.Getuid() || os.Getgid() != os.Getegid()
}

// checkDir requires that the default main.cf names dir in
// alternate_config_directories or multi_instance_directories
// (mail_conf_checkdir).
func checkDir(log *msg.Logger, dir string) {
	path := mailconf.DefaultDir + "/main.cf"
	f, err := os.Open(path)
	if err != nil {
		log.Fatalf("open file %s: %s", path, dict.ErrnoText(err))
	}
	defer f.Close()
	lines, err := readlline.All(bufio.NewReader(f), path, msg.Discard())
	if err != nil {
		log.Fatalf("read file %s: %s", path, dict.ErrnoText(err))
	}
	for _, l := range lines {
		name, value, err := mailconf.SplitNameValue(l.Text)
		if err != nil || (name != "alternate_config_directories" && name != "multi_instance_directories") {
			continue
		}
		for _, d := range mailconf.SplitList(value) {
			if d == dir {
				return
			}
		}
	}
	log.Errorf("unauthorized configuration directory name: %s", dir)
	log.Fatalf("specify \"%s = %s\" or \"%s = %s\" in %s",
		"alternate_config_directories", dir, "multi_instance_directories", dir, path)
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

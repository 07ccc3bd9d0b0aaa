package mailconf

import (
	"bufio"
	"os"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/readlline"
)

// CheckConfigDir is the guard of mail_conf_suck and mail_conf_checkdir:
// when the configuration directory dir (MAIL_CONFIG, or -c) is not the
// default and the process runs with privileges its caller does not have
// (the set-gid postdrop, postqueue and postlog), the default main.cf must
// list dir in alternate_config_directories or multi_instance_directories.
// Otherwise the problem is reported through log with Postfix's error and
// fatal texts, and the program ends.
func CheckConfigDir(log *msg.Logger, dir string) {
	if dir == "" || dir == DefaultDir || !unsafe() {
		return
	}
	path := DefaultDir + "/main.cf"
	f, err := os.Open(path)
	if err != nil {
		log.Fatalf("open file %s: %s", path, dict.ErrnoText(err))
		return
	}
	defer f.Close()
	lines, err := readlline.All(bufio.NewReader(f), path, msg.Discard())
	if err != nil {
		log.Fatalf("read file %s: %s", path, dict.ErrnoText(err))
		return
	}
	for _, l := range lines {
		name, value, err := SplitNameValue(l.Text)
		if err != nil || (name != "alternate_config_directories" && name != "multi_instance_directories") {
			continue
		}
		for _, d := range SplitList(value) {
			if d == dir {
				return
			}
		}
	}
	log.Errorf("unauthorized configuration directory name: %s", dir)
	log.Fatalf("specify \"%s = %s\" or \"%s = %s\" in %s",
		"alternate_config_directories", dir, "multi_instance_directories", dir, path)
}

// unsafe is Postfix's unsafe(): the process runs with privileges its
// caller does not have (root running as root is trusted).
func unsafe() bool {
	if os.Getuid() == 0 && os.Geteuid() == 0 {
		return false
	}
	return os.Geteuid() != os.Getuid() || os.Getgid() != os.Getegid()
}

package mailstream

import (
	"bufio"
	"fmt"
	"os"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/readlline"
)

// Untrusted is Postfix's unsafe(): the process runs with privileges its
// caller does not have (set-gid postdrop and started by an ordinary
// user), so what the caller chose must not be trusted.
func Untrusted() bool {
	if os.Getuid() == 0 && os.Geteuid() == 0 {
		return false
	}
	return os.Geteuid() != os.Getuid() || os.Getgid() != os.Getegid()
}

// CheckConfigDir is mail_conf_checkdir for the set-gid submission
// programs (postdrop, postqueue): when an untrusted caller names a
// configuration directory other than the default (with -c or
// MAIL_CONFIG), the default main.cf must list it in
// alternate_config_directories or multi_instance_directories. A refusal
// logs Postfix's error and returns the text of its fatal message.
func CheckConfigDir(dir string, log *msg.Logger) error {
	if dir == "" || dir == mailconf.DefaultDir || !Untrusted() {
		return nil
	}
	path := mailconf.DefaultDir + "/main.cf"
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open file %s: %s", path, dict.ErrnoText(err))
	}
	defer f.Close()
	lines, err := readlline.All(bufio.NewReader(f), path, msg.Discard())
	if err != nil {
		return fmt.Errorf("read file %s: %s", path, dict.ErrnoText(err))
	}
	for _, l := range lines {
		name, value, err := mailconf.SplitNameValue(l.Text)
		if err != nil || (name != "alternate_config_directories" && name != "multi_instance_directories") {
			continue
		}
		for _, d := range mailconf.SplitList(value) {
			if d == dir {
				return nil
			}
		}
	}
	log.Errorf("unauthorized configuration directory name: %s", dir)
	return fmt.Errorf("specify \"%s = %s\" or \"%s = %s\" in %s",
		"alternate_config_directories", dir, "multi_instance_directories", dir, path)
}

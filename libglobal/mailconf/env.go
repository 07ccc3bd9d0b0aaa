package mailconf

import (
	"fmt"
	"os"
	"strings"

	"gopostfix/libglobal/util/dict"
)

// ParmSplit is mail_parm_split: a list parameter split on commas and
// white space outside {} groups, each "{ text }" item stripped of its
// braces and surrounding blanks. name is the parameter, for the error.
func ParmSplit(name, value string) ([]string, error) {
	var out []string
	for _, item := range SplitList(value) {
		if item[0] == '{' {
			inner, msg := dict.ExtPar(item, "{}", true)
			if msg != "" {
				return nil, fmt.Errorf("%s: %s", name, msg)
			}
			item = inner
		}
		out = append(out, item)
	}
	return out, nil
}

// CleanEnv is clean_env(3) applied to import_environment (value is the
// parameter's text), as the set-gid programs run it before they trust
// anything: the process environment is emptied, then each listed name
// gets its old value back and each NAME=value entry is set, in list
// order. A process running with privileges its caller does not have
// keeps no old values (safe_getenv). The errors are Postfix's fatal
// texts.
func CleanEnv(value string) error {
	list, err := ParmSplit("import_environment", value)
	if err != nil {
		return err
	}
	var keep [][2]string
	for _, item := range list {
		if strings.IndexByte(item, '=') < 0 {
			if v, ok := os.LookupEnv(item); ok && !unsafe() {
				keep = append(keep, [2]string{item, v})
			}
			continue
		}
		name, val, err := SplitNameValue(item)
		if err != nil {
			return fmt.Errorf("clean_env: %v in: %s", err, item)
		}
		keep = append(keep, [2]string{name, val})
	}
	os.Clearenv()
	for _, kv := range keep {
		if err := os.Setenv(kv[0], kv[1]); err != nil {
			return fmt.Errorf("setenv(%s, %s): %s", kv[0], kv[1], dict.ErrnoText(err))
		}
	}
	return nil
}

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
// parameter's text), as master, postmulti and the set-gid programs run
// it: the process environment is emptied, then each listed name gets its
// old value back and each NAME=value entry is set, in list order. A
// process running with privileges its caller does not have keeps no old
// values (safe_getenv). The errors are Postfix's fatal texts.
func CleanEnv(value string) error {
	keep, err := envSettings("clean_env", value, true)
	if err != nil {
		return err
	}
	os.Clearenv()
	return setenvAll(keep)
}

// UpdateEnv is update_env(3) applied to import_environment, as the
// commands that do not clean their environment (postmap, postalias,
// postlock) run it: only the NAME=value entries are set, the rest of the
// environment stays. The errors are Postfix's fatal texts.
func UpdateEnv(value string) error {
	set, err := envSettings("update_env", value, false)
	if err != nil {
		return err
	}
	return setenvAll(set)
}

// envSettings splits import_environment into the variables to set, in
// list order: each NAME=value entry, and with keepOld each bare name's
// current value (when the process may trust it). fn names the Postfix
// function in the error for a bad entry.
func envSettings(fn, value string, keepOld bool) ([][2]string, error) {
	list, err := ParmSplit("import_environment", value)
	if err != nil {
		return nil, err
	}
	var out [][2]string
	for _, item := range list {
		if strings.IndexByte(item, '=') < 0 {
			if v, ok := os.LookupEnv(item); keepOld && ok && !unsafe() {
				out = append(out, [2]string{item, v})
			}
			continue
		}
		name, val, err := SplitNameValue(item)
		if err != nil {
			return nil, fmt.Errorf("%s: %v in: %s", fn, err, item)
		}
		out = append(out, [2]string{name, val})
	}
	return out, nil
}

// setenvAll sets the variables in order.
func setenvAll(vars [][2]string) error {
	for _, kv := range vars {
		if err := os.Setenv(kv[0], kv[1]); err != nil {
			return fmt.Errorf("setenv(%s, %s): %s", kv[0], kv[1], dict.ErrnoText(err))
		}
	}
	return nil
}

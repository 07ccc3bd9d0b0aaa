package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"gopostfix/libglobal/util/getopt"
)

const optString = "+A:B:C:F:GIL:N:O:R:UV:X:b:ce:f:h:imno:p:r:q:tvx"

// Operating modes.
const (
	modeEnqueue = iota + 1
	modeNewAlias
	modeMailq
	modeDaemon
	modeUser
	modeFlushq
	modeIgnore
)

// rewriteArgs applies sendmail's argument quirks, at option positions
// only (options end at the first operand), before getopt sees them: a lone
// "-q" is the flush request, "-V xy" and "-Vxy" are the old VERP
// spellings of -XV (with a deprecation warning), and "-XV" alone asks for
// the default VERP delimiters.
func (sm *sendmail) rewriteArgs(argv []string) (rest []string, flushQ, verpDefault bool) {
	rest = []string{argv[0]}
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		if a == "--" || len(a) < 2 || a[0] != '-' {
			return append(rest, argv[i:]...), flushQ, verpDefault
		}
		switch {
		case a == "-q":
			flushQ = true
			continue
		case a == "-V" && i+1 < len(argv) && len(argv[i+1]) == 2:
			sm.log.Warnf("option -V is deprecated with Postfix 2.3; specify -XV instead")
			a = "-XV"
		case strings.HasPrefix(a, "-V") && len(a) == 4:
			sm.log.Warnf("option %s is deprecated with Postfix 2.3; specify -X%s instead", a, a[1:])
			a = "-X" + a[1:]
		}
		if a == "-XV" {
			verpDefault = true
			continue
		}
		rest = append(rest, a)
		if takesSeparateArg(a) && i+1 < len(argv) {
			i++
			rest = append(rest, argv[i])
		}
	}
	return rest, flushQ, verpDefault
}

// takesSeparateArg reports whether the option word a ends with an option
// whose argument is the next word.
func takesSeparateArg(a string) bool {
	for j := 1; j < len(a); j++ {
		k := strings.IndexByte(optString, a[j])
		if k > 0 && k+1 < len(optString) && optString[k+1] == ':' {
			return j == len(a)-1
		}
	}
	return false
}

// configDir finds -C among the options (first pass): a path naming
// main.cf means its directory. Like the real first getopt pass it
// reports every invalid option.
func configDir(argv []string) string {
	var dir string
	var errs bytes.Buffer
	opts, _ := getopt.Parse(argv, optString, &errs)
	os.Stderr.Write(errs.Bytes())
	for _, o := range opts {
		if o.Char == 'C' {
			dir = o.Arg
			if filepath.Base(o.Arg) == "main.cf" {
				dir = filepath.Dir(o.Arg)
			}
		}
	}
	if dir != "" {
		os.Setenv("MAIL_CONFIG", dir)
	}
	return dir
}

package main

import (
	"bytes"
	"os"
	"strings"

	"gopostfix/libglobal/util/getopt"
	"gopostfix/libglobal/util/msg"
)

// parseArgs reads -c, -r and -v; the real program names itself postdrop
// whatever argv[0] is.
func parseArgs(log *msg.Logger, argv []string) (configDir string) {
	var errs bytes.Buffer
	args := append([]string{"postdrop"}, argv[1:]...)
	opts, _ := getopt.Parse(args, "+c:rv", &errs) // Postfix never permutes
	for _, o := range opts {
		switch o.Char {
		case 'c':
			configDir = o.Arg
			os.Setenv("MAIL_CONFIG", o.Arg)
		case 'r':
		case 'v':
			if os.Geteuid() == 0 {
				log.Verbose++
			}
		default:
			line, _, _ := strings.Cut(errs.String(), "\n")
			os.Stderr.WriteString(line + "\n")
			log.Fatalf("usage: %s [-c config_dir] [-v]", "postdrop")
		}
	}
	return configDir
}

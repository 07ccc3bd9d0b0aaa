package main

import (
	"bytes"
	"os"
	"strings"

	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/getopt"
	"gopostfix/libglobal/util/msg"
)

const usage = "usage: %s [-b (body text)] [-c config_dir] [-d (decimal record type)] [-e (envelope records)] [-h (header text)] [-q (access queue)] [-v] [file(s)...]"

// parseArgs reads the command line. Like getopt in a loop, it stops at
// the first bad option with the usage message.
func parseArgs(log *msg.Logger, argv []string) (o *options, configDir string, files []string) {
	o = &options{}
	var errs bytes.Buffer
	opts, operands := getopt.Parse(argv, "+bc:dehoqrs:v", &errs) // Postfix never permutes
	configDir = os.Getenv("MAIL_CONFIG")
	for _, opt := range opts {
		switch opt.Char {
		case 'b':
			o.body = true
		case 'c':
			configDir = opt.Arg
			os.Setenv("MAIL_CONFIG", opt.Arg)
		case 'd':
			o.decimal = true
		case 'e':
			o.env = true
		case 'h':
			o.header = true
		case 'o':
			o.offset = true
		case 'q':
			o.queue = true
		case 'r':
			o.raw = true
		case 's':
			if !allDigits(opt.Arg) {
				log.Fatalf("bad offset: %s", opt.Arg)
			}
			o.start = record.Atol(opt.Arg)
		case 'v':
			o.verbose = true
			log.Verbose++
		default:
			firstError(&errs)
			log.Fatalf(usage, argv[0])
		}
	}
	if !o.env && !o.header && !o.body {
		o.env, o.header, o.body = true, true, true
	}
	return o, configDir, operands
}

// firstError prints the first getopt complaint: the real program stops
// parsing at the first bad option, so it never reports the others.
func firstError(errs *bytes.Buffer) {
	line, _, _ := strings.Cut(errs.String(), "\n")
	if line != "" {
		os.Stderr.WriteString(line + "\n")
	}
}

// allDigits is Postfix's alldig: non-empty and only decimal digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

package main

import (
	"bytes"
	"os"
	"strings"

	"gopostfix/libglobal/util/getopt"
	"gopostfix/libglobal/util/msg"
)

// Modes of operation.
const (
	modeDefault = iota
	modeList    // -p
	modeFlushQ  // -f
	modeSite    // -s
	modeFile    // -i
	modeJSON    // -j
)

// request is what the command line asks for.
type request struct {
	mode int
	site string // -s
	id   string // -i
}

func usage(log *msg.Logger) {
	log.Fatalf("usage: postqueue -f | postqueue -i queueid | postqueue -j | postqueue -p | postqueue -s site")
}

// parseArgs reads the options; -c sets MAIL_CONFIG, -v counts only for
// root. Two modes, or any operand, is a usage error.
func parseArgs(log *msg.Logger, argv []string) request {
	var errs bytes.Buffer
	opts, operands := getopt.Parse(append([]string{prog}, argv[1:]...), "+c:fi:jps:v", &errs)
	var req request
	set := func(mode int) {
		if req.mode != modeDefault {
			usage(log)
		}
		req.mode = mode
	}
	for _, o := range opts {
		switch o.Char {
		case 'c':
			os.Setenv("MAIL_CONFIG", o.Arg)
		case 'f':
			set(modeFlushQ)
		case 'i':
			set(modeFile)
			req.id = o.Arg
		case 'j':
			set(modeJSON)
		case 'p':
			set(modeList)
		case 's':
			set(modeSite)
			req.site = o.Arg
		case 'v':
			if os.Geteuid() == 0 {
				log.Verbose++
			}
		default:
			line, _, _ := strings.Cut(errs.String(), "\n")
			os.Stderr.WriteString(line + "\n")
			usage(log)
		}
	}
	if len(operands) > 0 {
		usage(log)
	}
	return req
}

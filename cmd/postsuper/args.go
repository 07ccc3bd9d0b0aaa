package main

import (
	"bytes"
	"os"
	"strings"

	"gopostfix/libglobal/util/getopt"
	"gopostfix/libglobal/util/msg"
)

const usage = "usage: %s [-c config_dir] [-d queue_id (delete)] [-e queue_id (expire)] " +
	"[-f queue_id (expire and/or un-hold)] [-h queue_id (hold)] [-H queue_id (un-hold)] " +
	"[-p (purge temporary files)] [-r queue_id (requeue)] [-s (structure fix)] " +
	"[-S (redundant structure fix)][-v (verbose)] [queue...]"

// command is a parsed command line.
type command struct {
	configDir string
	action    int
	ops       []getopt.Option // the by-ID operations, in command-line order
	queues    []string
}

// oneOrAll picks the ALL variant of an action for the argument "ALL".
func oneOrAll(arg string, one, all int) int {
	if arg == "ALL" {
		return all
	}
	return one
}

func parseArgs(log *msg.Logger, argv []string) *command {
	c := &command{}
	var errs bytes.Buffer
	opts, operands := getopt.Parse(argv, "+c:d:e:f:h:H:pr:sSv", &errs) // Postfix never permutes
	for _, o := range opts {
		switch o.Char {
		case 'c':
			if !strings.HasPrefix(o.Arg, "/") {
				log.Fatalf("-c requires absolute pathname")
			}
			c.configDir = o.Arg
			os.Setenv("MAIL_CONFIG", o.Arg)
		case 'd':
			c.action |= oneOrAll(o.Arg, actDeleteOne, actDeleteAll)
		case 'e':
			c.action |= oneOrAll(o.Arg, actExpireOne, actExpireAll)
		case 'f':
			c.action |= oneOrAll(o.Arg, actExpRelOne, actExpRelAll)
		case 'h':
			c.action |= oneOrAll(o.Arg, actHoldOne, actHoldAll)
		case 'H':
			c.action |= oneOrAll(o.Arg, actReleaseOne, actReleaseAll)
		case 'p':
			c.action |= actPurge
		case 'r':
			c.action |= oneOrAll(o.Arg, actRequeueOne, actRequeueAll)
		case 'S':
			c.action |= actStructRed | actStruct
		case 's':
			c.action |= actStruct
		case 'v':
			log.Verbose++
		default:
			line, _, _ := strings.Cut(errs.String(), "\n")
			os.Stderr.WriteString(line + "\n")
			log.Fatalf(usage, argv[0])
		}
		switch o.Char {
		case 'd', 'e', 'f', 'h', 'H', 'r':
			c.ops = append(c.ops, o)
		}
	}
	c.queues = operands
	return c
}

package main

import (
	"os"

	"gopostfix/libglobal/maps/mkmap"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/getopt"
)

// options are postmap's command-line settings.
type options struct {
	configDir string
	query     string
	delKey    string
	hasQuery  bool
	hasDel    bool
	sequence  bool
	header    bool // -h
	body      bool // -b
	mime      bool // -m
	forceUTF8 bool // -U
	build     mkmap.BuildOptions
	flags     dict.Flags
	args      []string
}

func usage(s *mkmap.Setup) {
	s.Log.Fatalf("usage: %s [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file...", s.Prog)
}

func parseOptions(s *mkmap.Setup, argv []string) *options {
	o := &options{
		build: mkmap.BuildOptions{AsOwner: true, SavePerm: true},
		flags: dict.FlagDupWarn | dict.FlagFoldFix | dict.FlagUTF8Request,
	}
	if os.Getenv("MAIL_VERBOSE") != "" {
		s.Log.Verbose = 1
	}
	opts, args := getopt.Parse(append([]string{s.Prog}, argv[1:]...), "bc:d:fFhimnNopq:rsuUvw", os.Stderr)
	for _, op := range opts {
		switch op.Char {
		case 'N':
			o.flags = o.flags&^dict.FlagTry0Null | dict.FlagTry1Null
		case 'b':
			o.body = true
		case 'c':
			o.configDir = op.Arg
		case 'd':
			if o.sequence || o.hasQuery || o.hasDel {
				s.Log.Fatalf("specify only one of -s -q or -d")
			}
			o.delKey, o.hasDel = op.Arg, true
		case 'f':
			o.flags &^= dict.FlagFoldFix
		case 'F':
			o.flags |= dict.FlagSrcRHSIsFile
		case 'h':
			o.header = true
		case 'i':
			o.build.Incremental = true
		case 'm':
			o.mime = true
		case 'n':
			o.flags = o.flags&^dict.FlagTry1Null | dict.FlagTry0Null
		case 'o':
			o.build.AsOwner = false
		case 'p':
			o.build.SavePerm = false
		case 'q':
			if o.sequence || o.hasQuery || o.hasDel {
				s.Log.Fatalf("specify only one of -s -q or -d")
			}
			o.query, o.hasQuery = op.Arg, true
		case 'r':
			o.flags = o.flags&^(dict.FlagDupWarn|dict.FlagDupIgnore) | dict.FlagDupReplace
		case 's':
			if o.hasQuery || o.hasDel {
				s.Log.Fatalf("specify only one of -s or -q or -d")
			}
			o.sequence = true
		case 'u':
			o.flags &^= dict.FlagUTF8Request
		case 'U':
			o.forceUTF8 = true
		case 'v':
			s.Log.Verbose++
		case 'w':
			o.flags = o.flags&^(dict.FlagDupWarn|dict.FlagDupReplace) | dict.FlagDupIgnore
		default:
			usage(s)
		}
	}
	o.args = args
	return o
}

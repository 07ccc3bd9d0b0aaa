package mkmap

import (
	"os"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/getopt"
)

// Options are the command-line settings of postmap and postalias.
type Options struct {
	ConfigDir string
	Query     string
	DelKey    string
	HasQuery  bool
	HasDel    bool
	Sequence  bool
	Header    bool // -h
	Body      bool // -b
	MIME      bool // -m
	ForceUTF8 bool // -U
	Build     BuildOptions
	Flags     dict.Flags
	Args      []string
}

// Usage dies with the program's usage message.
func (s *Setup) Usage() {
	s.Log.Fatalf("usage: %s %s", s.Prog, s.UsageText)
}

// ParseOptions parses argv with getopt; optstring is the program's
// ("bc:d:fFhimnNopq:rsuUvw" for postmap, "Nc:d:finopq:rsuvw" for
// postalias). Conflicting -q/-d/-s and bad options die as in Postfix.
func (s *Setup) ParseOptions(argv []string, optstring string) *Options {
	o := &Options{
		Build: BuildOptions{AsOwner: true, SavePerm: true},
		Flags: dict.FlagDupWarn | dict.FlagFoldFix | dict.FlagUTF8Request,
	}
	if os.Getenv("MAIL_VERBOSE") != "" {
		s.Log.Verbose = 1
	}
	opts, args := getopt.Parse(append([]string{s.Prog}, argv[1:]...), optstring, os.Stderr)
	for _, op := range opts {
		switch op.Char {
		case 'N':
			o.Flags = o.Flags&^dict.FlagTry0Null | dict.FlagTry1Null
		case 'b':
			o.Body = true
		case 'c':
			o.ConfigDir = op.Arg
		case 'd':
			if o.Sequence || o.HasQuery || o.HasDel {
				s.Log.Fatalf("specify only one of -s -q or -d")
			}
			o.DelKey, o.HasDel = op.Arg, true
		case 'f':
			o.Flags &^= dict.FlagFoldFix
		case 'F':
			o.Flags |= dict.FlagSrcRHSIsFile
		case 'h':
			o.Header = true
		case 'i':
			o.Build.Incremental = true
		case 'm':
			o.MIME = true
		case 'n':
			o.Flags = o.Flags&^dict.FlagTry1Null | dict.FlagTry0Null
		case 'o':
			o.Build.AsOwner = false
		case 'p':
			o.Build.SavePerm = false
		case 'q':
			if o.Sequence || o.HasQuery || o.HasDel {
				s.Log.Fatalf("specify only one of -s -q or -d")
			}
			o.Query, o.HasQuery = op.Arg, true
		case 'r':
			o.Flags = o.Flags&^(dict.FlagDupWarn|dict.FlagDupIgnore) | dict.FlagDupReplace
		case 's':
			if o.HasQuery || o.HasDel {
				s.Log.Fatalf("specify only one of -s or -q or -d")
			}
			o.Sequence = true
		case 'u':
			o.Flags &^= dict.FlagUTF8Request
		case 'U':
			o.ForceUTF8 = true
		case 'v':
			s.Log.Verbose++
		case 'w':
			o.Flags = o.Flags&^(dict.FlagDupWarn|dict.FlagDupReplace) | dict.FlagDupIgnore
		default:
			s.Usage()
		}
	}
	o.Args = args
	return o
}

package main

import (
	"gopostfix/libglobal/maps/mkmap"
	"gopostfix/libglobal/util/dict"
)

// run does the work selected by the options and returns the exit status.
func run(s *mkmap.Setup, t *mkmap.Tool, o *mkmap.Options) int {
	anyKey := o.Header || o.Body || o.MIME
	if (!o.HasQuery || o.Query != "-") && anyKey {
		s.Log.Fatalf("specify -b -h or -m only with \"-q -\"")
	}
	if anyKey && !o.Header && !o.Body {
		s.Log.Warnf("ignoring -m option without -b or -h")
	}
	if (o.Header || o.Body) && !o.ForceUTF8 {
		o.Flags &^= dict.FlagUTF8Request
	}
	o.Build.Flags = o.Flags
	queries := func(args []string, flags dict.Flags) bool {
		if o.Header || o.Body {
			return t.MessageQueries(args, flags, o.Header, o.Body, o.MIME)
		}
		return t.Queries(args, flags)
	}
	if status, ok := t.Lookups(s, o, queries); ok {
		return status
	}
	if len(o.Args) == 0 {
		s.Usage()
	}
	parse := t.PostmapParser(o.Flags&dict.FlagSrcRHSIsFile != 0)
	for _, arg := range o.Args {
		typ, name := t.Split(arg)
		t.Build(typ, name, o.Build, parse)
	}
	return 0
}

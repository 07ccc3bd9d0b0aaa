package main

import (
	"gopostfix/libglobal/maps/mkmap"
	"gopostfix/libglobal/util/dict"
)

// run does the work selected by the options and returns the exit status.
func run(s *mkmap.Setup, t *mkmap.Tool, o *mkmap.Options) int {
	if status, ok := t.Lookups(s, o, t.Queries); ok {
		return status
	}
	if len(o.Args) == 0 {
		s.Usage()
	}
	build := o.Build
	build.Flags = o.Flags
	build.Finish = func(d dict.Dict) { finish(s, t, d, build.Incremental) }
	for _, arg := range o.Args {
		typ, name := t.Split(arg)
		t.Build(typ, name, build, parser(t))
	}
	return 0
}

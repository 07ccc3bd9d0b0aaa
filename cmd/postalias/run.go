package main

import (
	"gopostfix/libglobal/maps/mkmap"
	"gopostfix/libglobal/util/dict"
)

func exitStatus(found bool) int {
	if found {
		return 0
	}
	return 1
}

// run does the work selected by the options and returns the exit status.
func run(s *mkmap.Setup, t *mkmap.Tool, o *mkmap.Options) int {
	switch {
	case o.HasDel:
		if len(o.Args) == 0 {
			s.Usage()
		}
		if o.DelKey == "-" {
			return exitStatus(t.Deletes(o.Args, o.Flags|dict.FlagLock))
		}
		return exitStatus(t.Delete(o.Args, o.DelKey, o.Flags|dict.FlagLock))
	case o.HasQuery:
		if len(o.Args) == 0 {
			s.Usage()
		}
		if o.Query == "-" {
			return exitStatus(t.Queries(o.Args, o.Flags|dict.FlagLock))
		}
		return exitStatus(t.Query(o.Args, o.Query, o.Flags|dict.FlagLock))
	case o.Sequence:
		if len(o.Args) == 0 {
			return 1
		}
		t.Sequence(o.Args[0], o.Flags|dict.FlagLock)
		return 0
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

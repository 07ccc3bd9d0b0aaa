package main

import (
	"gopostfix/libglobal/maps/mkmap"
	"gopostfix/libglobal/util/dict"
)

// exitStatus is 0 when something was found or deleted, 1 otherwise.
func exitStatus(found bool) int {
	if found {
		return 0
	}
	return 1
}

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
			if o.Header || o.Body {
				return exitStatus(t.MessageQueries(o.Args, o.Flags|dict.FlagLock, o.Header, o.Body, o.MIME))
			}
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
	parse := t.PostmapParser(o.Flags&dict.FlagSrcRHSIsFile != 0)
	for _, arg := range o.Args {
		typ, name := t.Split(arg)
		t.Build(typ, name, o.Build, parse)
	}
	return 0
}

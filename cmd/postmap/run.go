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
func run(s *mkmap.Setup, t *mkmap.Tool, o *options) int {
	anyKey := o.header || o.body || o.mime
	if (!o.hasQuery || o.query != "-") && anyKey {
		s.Log.Fatalf("specify -b -h or -m only with \"-q -\"")
	}
	if anyKey && !o.header && !o.body {
		s.Log.Warnf("ignoring -m option without -b or -h")
	}
	if (o.header || o.body) && !o.forceUTF8 {
		o.flags &^= dict.FlagUTF8Request
	}
	o.build.Flags = o.flags
	switch {
	case o.hasDel:
		if len(o.args) == 0 {
			usage(s)
		}
		if o.delKey == "-" {
			return exitStatus(t.Deletes(o.args, o.flags|dict.FlagLock))
		}
		return exitStatus(t.Delete(o.args, o.delKey, o.flags|dict.FlagLock))
	case o.hasQuery:
		if len(o.args) == 0 {
			usage(s)
		}
		if o.query == "-" {
			if o.header || o.body {
				return exitStatus(t.MessageQueries(o.args, o.flags|dict.FlagLock, o.header, o.body))
			}
			return exitStatus(t.Queries(o.args, o.flags|dict.FlagLock))
		}
		return exitStatus(t.Query(o.args, o.query, o.flags|dict.FlagLock))
	case o.sequence:
		if len(o.args) == 0 {
			return 1
		}
		t.Sequence(o.args[0], o.flags|dict.FlagLock)
		return 0
	}
	if len(o.args) == 0 {
		usage(s)
	}
	parse := t.PostmapParser(o.flags&dict.FlagSrcRHSIsFile != 0)
	for _, arg := range o.args {
		typ, name := t.Split(arg)
		t.Build(typ, name, o.build, parse)
	}
	return 0
}

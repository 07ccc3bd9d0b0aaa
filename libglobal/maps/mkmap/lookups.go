package mkmap

import "gopostfix/libglobal/util/dict"

// Lookups runs the modes that read tables instead of building them, as
// postmap and postalias share them: -d (delete a key, or the keys read
// from standard input with "-d -"), -q (query a key, "-q -" handled by
// queries: postmap also reads message headers or bodies there) and -s
// (list a table). The status is 0 when something was found or deleted,
// 1 otherwise; ok is false when none of these modes was asked for.
func (t *Tool) Lookups(s *Setup, o *Options, queries func(args []string, flags dict.Flags) bool) (status int, ok bool) {
	flags := o.Flags | dict.FlagLock
	switch {
	case o.HasDel:
		if len(o.Args) == 0 {
			s.Usage()
		}
		if o.DelKey == "-" {
			return exitStatus(t.Deletes(o.Args, flags)), true
		}
		return exitStatus(t.Delete(o.Args, o.DelKey, flags)), true
	case o.HasQuery:
		if len(o.Args) == 0 {
			s.Usage()
		}
		if o.Query == "-" {
			return exitStatus(queries(o.Args, flags)), true
		}
		return exitStatus(t.Query(o.Args, o.Query, flags)), true
	case o.Sequence:
		if len(o.Args) == 0 {
			return 1, true
		}
		t.Sequence(o.Args[0], flags)
		return 0, true
	}
	return 0, false
}

// exitStatus is 0 when something was found or deleted, 1 otherwise.
func exitStatus(found bool) int {
	if found {
		return 0
	}
	return 1
}

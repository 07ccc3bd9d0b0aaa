// Package dict is the dictionary layer of Postfix's src/util (dict.h,
// dict_open.c, dict_alloc.c, dict_utf8.c, dict_file.c, mkmap_open.c): one
// interface for every lookup table type, the "type:name" syntax, the flags
// that control case folding, duplicate handling and trailing-NUL handling,
// and the open-table cache that long-running programs share.
//
// # How a map type plugs in
//
// A type is a Go value that embeds Base and implements the operations it
// supports; Base supplies the rest (they fail with an *UnsupportedError that
// reads "table TYPE:NAME: OP operation is not supported", as Postfix's
// default methods do):
//
//	type cdbDict struct {
//		dict.Base
//		...
//	}
//
//	func open(req dict.OpenRequest) (dict.Dict, error) {
//		d := &cdbDict{}
//		d.Init(req, dict.FlagFixed)          // type, name, flags, logger
//		...
//		return d, nil
//	}
//
//	func Register(r *dict.Registry) {
//		r.Register("cdb", open)              // lookups, -d, daemons
//		r.RegisterMaker("cdb", create)       // postmap/postalias builds
//	}
//
// Packages outside libglobal (compat/ for Berkeley DB, LMDB, PCRE and
// POSIX regexp) expose such a Register function; programs call it on the
// Registry they create in main. There is no global registry.
//
// # Rules every type follows
//
//   - Lookup, Update and Delete of fixed-key types fold the key with
//     Base.FoldKey (lowercase when FlagFoldFix is set and the UTF-8 layer
//     has not already folded it).
//   - Binary file types store keys and values with or without a trailing
//     NUL byte as FlagTry1Null/FlagTry0Null say; Base.LookupNUL does the
//     reader's auto-detection and Base.UpdateNUL picks the writer's mode.
//   - Update of an existing key follows FlagDupReplace/FlagDupIgnore/
//     FlagDupWarn through Base.Duplicate.
//   - Errors are returned, never printed: an *Error carries the kind
//     (Retry for a temporarily unavailable table, Config for a broken one,
//     Fatal for what Postfix reports with msg_fatal inside the table code)
//     and its message is exactly the text Postfix logs after "fatal: " or
//     "warning: ". Warnings that Postfix logs and then carries on with
//     (duplicates, bad source lines) go to the Registry's Logger.
//   - An open function returns a Fatal error exactly where Postfix's open
//     function calls msg_fatal instead of returning dict_surrogate(): the
//     registry hands those to the caller even when it allows stand-in
//     tables, and daemons die of them (libmaster for errors of their
//     start-up hooks, ExitIfFatal elsewhere).
//   - A Dict is used by one goroutine at a time; programs that share one
//     between goroutines serialise access (Cache does).
package dict

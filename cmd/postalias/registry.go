package main

import (
	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
)

// newRegistry returns the table types postalias knows: the pure-Go ones and
// those built on C libraries (Berkeley DB, LMDB, PCRE, POSIX regexp).
func newRegistry() *dict.Registry {
	r := dict.NewRegistry(nil)
	stdtypes.Register(r)
	maptypes.Register(r)
	return r
}

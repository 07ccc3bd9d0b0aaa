// Package maptypes registers the lookup table types that Postfix builds
// on C libraries, the ones Debian ships in postfix, postfix-lmdb and
// postfix-pcre: hash and btree (Berkeley DB), lmdb, pcre, and regexp
// (POSIX regular expressions). Programs that use lookup tables call
// Register on their dict.Registry next to the pure-Go types.
package maptypes

import (
	"gopostfix/compat/bdb"
	"gopostfix/compat/lmdb"
	"gopostfix/compat/pcre"
	"gopostfix/compat/regexp"
	"gopostfix/libglobal/util/dict"
)

// Register adds hash, btree, lmdb, pcre and regexp to r.
func Register(r *dict.Registry) {
	bdb.Register(r)
	lmdb.Register(r)
	pcre.Register(r)
	regexp.Register(r)
}

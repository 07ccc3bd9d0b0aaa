// Package maptypes registers the lookup table types that Postfix builds
// on C libraries, the ones Debian ships in postfix, postfix-lmdb and
// postfix-pcre: hash and btree (Berkeley DB), lmdb, pcre, and regexp
// (POSIX regular expressions); and mysql and pgsql, from postfix-mysql
// and postfix-pgsql. Programs that use lookup tables call
// Register on their dict.Registry next to the pure-Go types.
package maptypes

import (
	"gopostfix/compat/bdb"
	"gopostfix/compat/lmdb"
	"gopostfix/compat/pcre"
	"gopostfix/compat/regexp"
	"gopostfix/libglobal/maps/dictproxy"
	"gopostfix/libglobal/maps/mysql"
	"gopostfix/libglobal/maps/pgsql"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/msg"
)

// Register adds hash, btree, lmdb, pcre, regexp and the database
// clients mysql and pgsql to r.
func Register(r *dict.Registry) {
	bdb.Register(r)
	mysql.Register(r)
	pgsql.Register(r)
	lmdb.Register(r)
	pcre.Register(r)
	regexp.Register(r)
}

// NewRegistry returns a registry with every table type this project
// supports: the pure-Go ones of libglobal/util/dict/stdtypes, the cgo
// ones above, and the proxy: client of libglobal/maps/dictproxy (as a
// default that a program may replace with its own "proxy" type). Daemons
// and commands use it so that no program silently lacks a type that
// postconf -m lists.
func NewRegistry(log *msg.Logger) *dict.Registry {
	r := dict.NewRegistry(log)
	stdtypes.Register(r)
	Register(r)
	dictproxy.Register(r)
	return r
}

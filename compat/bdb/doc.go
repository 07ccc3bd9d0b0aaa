// Package bdb binds Berkeley DB 5.3 (libdb5.3, through cgo) the way
// Postfix's src/util/dict_db.c uses it for the "hash" and "btree" table
// types: a private memory-pool environment rooted in the table's
// directory (so a stray ./DB_CONFIG is never read from the current
// directory), a per-table cache size, h_nelem 4096 for hash files,
// DB_FCNTL_LOCKING so that the caller's fcntl locks on the file survive,
// and mode 0644 for new files.
//
// Tables built here are ordinary libdb files: the real postmap reads them,
// and this package reads the real postmap's files, because both sides use
// the same library with the same parameters.
//
// The binding is raw: bytes in, bytes out, libdb status codes as errors.
// Postfix's dictionary semantics (case folding, trailing NUL detection,
// duplicate warnings, locking around each access) live in dict.go, which
// adapts a DB to libglobal/util/dict.
package bdb

// Package bdb binds Berkeley DB 5.3 (libdb5.3, through cgo) the way
// Postfix's src/util/dict_db.c uses it for the "hash" and "btree" table
// types: a private memory-pool environment rooted in the table's
// directory (so a stray ./DB_CONFIG is never read from the current
// directory), a per-table cache size, h_nelem 4096 for hash files, and
// mode 0644 for new files. Readers and writers lock the file with
// flock(2), Postfix's internal lock on Linux, so that our programs and the
// real ones exclude each other.
//
// Tables built here are ordinary libdb files: the real postmap reads them,
// and this package reads the real postmap's files, because both sides use
// the same library with the same parameters.
//
// The binding is raw: bytes in, bytes out, libdb status codes as errors.
// Postfix's dictionary semantics (case folding, trailing NUL detection,
// duplicate warnings, locking around each access) live in dict.go, which
// adapts a DB to libglobal/util/dict.
//
// Deliberate differences: table builds write their records in hash bucket
// or key order a few megabytes at a time (see Make), and lookups inside a
// batch lock read hash files with a Go reader of the page format
// (hashfile.go).
package bdb

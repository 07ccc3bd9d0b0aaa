// Package lmdb binds the OpenLMDB library (liblmdb, through cgo) the way
// Postfix's src/util/dict_lmdb.c and slmdb.c use it for the "lmdb" table
// type: one file without a lock file (MDB_NOSUBDIR | MDB_NOLOCK; callers
// lock the file with fcntl), the unnamed main database in byte order, an
// initial map size from lmdb_map_size, doubled on MDB_MAP_FULL, the larger
// map of another writer adopted on MDB_MAP_RESIZED, and for table builds
// one bulk transaction in which the old content is dropped and the new
// content written, so that readers see either the old or the new table.
//
// Deliberate difference: when a bulk transaction runs out of map space,
// Postfix longjmps back into postmap, which reads its source again. Go has
// no longjmp, so Put and Close return ErrRestart instead, after starting a
// fresh transaction with a doubled map; the caller feeds every record
// again. Callers that know how much they will write can avoid the restart
// with Options.MapSize.
package lmdb

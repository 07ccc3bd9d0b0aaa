package bdb

import (
	"errors"
	"math/bits"
	"os"
	"syscall"

	"gopostfix/libglobal/util/dict"
)

// Make opens NAME.db for postmap and postalias (mkmap_db.c): with the
// larger create buffer, and under an exclusive lock on the file for the
// whole build or update, so that readers, which take shared locks, never
// see a half-written table. Berkeley DB refuses zero-length files, so a
// leftover empty NAME.db is removed (with a warning) while locked.
//
// Deliberate difference: the table accepts buffered updates
// (dict.UpdateBuffer, which postmap and postalias use for a rebuild) and
// writes each few megabytes of them in hash bucket order (btree: key
// order) instead of source order. A hash build from a large unsorted
// source otherwise spends most of its time evicting bucket pages from the
// memory pool and reading them back; in bucket order each page is
// fetched about once per flush. The table holds the same records and the
// same duplicate warnings come out in the same order, but a hash table
// too big for its buckets to fit on one page each lists its records
// (postmap -s) in another order than the same table built record by
// record, as the order of records within a bucket's overflow pages
// follows the order they were written in.
func Make(req dict.OpenRequest) (dict.Dict, error) {
	path := req.Name + ".db"
	lock, err := os.OpenFile(path, os.O_RDWR, 0644)
	switch {
	case err == nil:
		if err := dict.FlockFile(int(lock.Fd()), dict.LockExclusive); err != nil {
			lock.Close()
			return nil, fatalf(err, "lock %s", path)
		}
		st, err := lock.Stat()
		if err != nil {
			lock.Close()
			return nil, fatalf(err, "fstat %s", path)
		}
		if st.Size() == 0 {
			if st.Sys().(*syscall.Stat_t).Nlink > 0 {
				if err := os.Remove(path); err != nil {
					lock.Close()
					return nil, fatalf(err, "cannot remove zero-length database file %s", path)
				}
				req.Log().Warnf("removing zero-length database file: %s", path)
			}
			lock.Close()
			lock = nil
		}
	case errors.Is(err, syscall.ENOENT):
		lock = nil
	default:
		return nil, fatalf(err, "open %s", path)
	}
	d, err := open(req, intParam(req, "berkeley_db_create_buffer_size", DefaultCreateBuffer))
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		return nil, err
	}
	if lock == nil {
		// The file did not exist: lock the one libdb just created.
		if lock, err = os.OpenFile(path, os.O_RDWR, 0644); err != nil {
			d.Close()
			return nil, fatalf(err, "open lockfile %s", path)
		}
		if err := dict.FlockFile(int(lock.Fd()), dict.LockExclusive); err != nil {
			lock.Close()
			d.Close()
			return nil, fatalf(err, "lock %s", path)
		}
	}
	d.lock = lock
	d.Reorder = true
	if kindOf(req.Type) == Hash {
		d.Order = d.bucketOrder
	}
	// The whole-file lock replaces per-access locking (mkmap_open clears
	// the lock and stat descriptors).
	d.LockFD = -1
	d.StatPath = ""
	return d, nil
}

// bucketOrder ranks keys for buffered updates (kvdict's window) by the
// hash bucket they go to, in the table as it is now: libdb's hash (FNV,
// as the Go reader computes it) cut to the bits that number the buckets.
// Keys in bucket order visit the bucket pages from the start of the file
// to its end, so each page comes into the memory pool once per flush.
func (d *Dict) bucketOrder() func(key []byte) uint32 {
	mask := uint32(0)
	if n, err := d.db.HashBuckets(); err == nil && n > 1 {
		mask = 1<<(bits.Len32(uint32(n))-1) - 1
	}
	return func(key []byte) uint32 { return fnvHash(key) & mask }
}

// Register adds the "hash" and "btree" types to r, for lookups and for
// postmap/postalias.
func Register(r *dict.Registry) {
	for _, typ := range []string{"hash", "btree"} {
		r.Register(typ, Open)
		r.RegisterMaker(typ, Make)
	}
}

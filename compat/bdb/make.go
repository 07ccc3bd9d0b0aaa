package bdb

import (
	"errors"
	"os"
	"syscall"

	"gopostfix/libglobal/util/dict"
)

// buildCacheExtra is added to berkeley_db_create_buffer_size for builds.
//
// Deliberate difference: a hash table build is bound by libdb evicting
// dirty pages from its memory pool and reading them back (a 1M-record
// table is eight times the default pool). Postfix's own process stays
// about 10 MB smaller than ours for the same pool, so we give the pool
// those 10 MB: the same memory as the real postmap plus the Go runtime's
// share, a quarter less CPU time, and an unchanged file (the pool size
// does not affect the layout).
const buildCacheExtra = 10 << 20

// Make opens NAME.db for postmap and postalias (mkmap_db.c): with the
// larger create buffer, and under an exclusive lock on the file for the
// whole build or update, so that readers, which take shared locks, never
// see a half-written table. Berkeley DB refuses zero-length files, so a
// leftover empty NAME.db is removed (with a warning) while locked.
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
	d, err := open(req, intParam(req, "berkeley_db_create_buffer_size", DefaultCreateBuffer)+buildCacheExtra)
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
	// The whole-file lock replaces per-access locking (mkmap_open clears
	// the lock and stat descriptors).
	d.LockFD = -1
	d.StatPath = ""
	return d, nil
}

// Register adds the "hash" and "btree" types to r, for lookups and for
// postmap/postalias.
func Register(r *dict.Registry) {
	for _, typ := range []string{"hash", "btree"} {
		r.Register(typ, Open)
		r.RegisterMaker(typ, Make)
	}
}

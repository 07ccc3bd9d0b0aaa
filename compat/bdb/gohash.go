package bdb

import (
	"errors"

	"gopostfix/compat/internal/kvdict"
	"gopostfix/libglobal/util/dict"
)

// goHashStore is the store behind a hash table opened for lookups. Inside
// a batch of lookups (dict.Base.HoldLock, as postmap -q - takes it), the
// lookups read the file with hashFile instead of libdb: one pread of the
// bucket page per lookup, no cgo call, and the metadata read once per
// batch. Outside a batch every lookup goes through libdb as before, and so
// does everything else (updates, sequences), as do files and pages that
// hashFile does not handle.
type goHashStore struct {
	*DB
	base  *dict.Base
	file  hashFile
	cache pageCache
	epoch uint64 // the batch the metadata and cache belong to
	kbuf  []byte
}

func newGoHashStore(db *DB, fd int, base *dict.Base, cacheBytes int) *goHashStore {
	s := &goHashStore{DB: db, base: base, file: hashFile{r: fdReader(fd)}}
	s.file.cache = &s.cache
	s.cache.limit = cacheBytes
	return s
}

// LookupLocked implements kvdict.OneCallStore.
func (s *goHashStore) LookupLocked(lockFD int, style dict.LockStyle, key string, try1, try0 bool, buf []byte) (kvdict.Found, error) {
	if lockFD >= 0 || s.base.HeldLock() == dict.LockNone {
		return s.DB.LookupLocked(lockFD, style, key, try1, try0, buf)
	}
	if e := s.base.LockEpoch(); e != s.epoch || !s.file.valid {
		s.epoch = e
		s.cache.clear()
		if err := s.file.refresh(); err != nil && !errors.Is(err, errFallback) {
			return kvdict.Found{}, err
		}
	}
	var f kvdict.Found
	var err error
	if try1 {
		s.kbuf = append(append(s.kbuf[:0], key...), 0)
		f.Value, f.OK, err = s.get(s.kbuf, buf)
		f.WithNUL = true
	}
	if try0 && err == nil && !f.OK {
		s.kbuf = append(s.kbuf[:0], key...)
		f.Value, f.OK, err = s.get(s.kbuf, buf)
		f.WithNUL = false
	}
	return f, err
}

// get looks key up with hashFile, or with libdb where hashFile cannot.
func (s *goHashStore) get(key, buf []byte) ([]byte, bool, error) {
	v, found, err := s.file.get(key, buf)
	if errors.Is(err, errFallback) {
		return s.DB.Get(key, buf)
	}
	return v, found, err
}

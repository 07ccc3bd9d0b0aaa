// Package kvdict is the part of Postfix's dict_db.c and dict_lmdb.c that
// the two have in common: fixed-key tables in a binary key-value file,
// with case folding, trailing-NUL detection on reads, a platform default
// (with NUL) on writes, duplicate handling, per-access fcntl locking and
// NUL-cut sequence results. compat/bdb and compat/lmdb supply the store
// and the wording of their fatal errors.
package kvdict

import (
	"errors"

	"gopostfix/libglobal/util/dict"
)

// Store is a binary key-value file.
type Store interface {
	Get(key, buf []byte) (val []byte, found bool, err error)
	PutString(key, val string, nul, overwrite bool) (stored bool, err error)
	Delete(key []byte) (found bool, err error)
	Seq(first bool, kbuf, vbuf []byte) (key, val []byte, ok bool, err error)
}

// Found is the outcome of a one-call lookup.
type Found struct {
	Value     []byte
	OK        bool  // the key exists
	WithNUL   bool  // it was found in the form with a trailing NUL
	LockErr   error // the shared lock could not be taken (nothing was read)
	UnlockErr error // the lock could not be released after the read
}

// OneCallStore is a Store that does a whole dictionary lookup in one call
// into C: take the shared lock on lockFD (none when it is -1) in style,
// try the key with a trailing NUL when try1 and then without when try0,
// release the lock. One cgo call per lookup instead of a lock system
// call, one or two reads and an unlock is what keeps postmap -q - as fast
// as Postfix's; the sequence of system calls is the same as Postfix's.
type OneCallStore interface {
	LookupLocked(lockFD int, style dict.LockStyle, key string, try1, try0 bool, buf []byte) (Found, error)
}

// Op names a failed operation for Table.Fail.
type Op int

const (
	OpRead Op = iota
	OpWrite
	OpDelete
	OpSeek
	OpFlush
)

// Table implements the lookup, update, delete and sequence operations of
// dict.Dict over a Store. The embedding type sets the fields and adds
// Close.
type Table struct {
	dict.Base
	Store Store
	// Fail builds the error Postfix reports with msg_fatal when op fails.
	Fail func(op Op, err error) error
	// DupLabel names the table in duplicate warnings.
	DupLabel string
	// Sync, when set, flushes after each update with FlagSyncUpdate.
	Sync func() error
	// PassThrough is returned as is when a store operation fails with it
	// (lmdb's bulk restart).
	PassThrough error
	// Order, when set, returns the ranking of keys that buffered updates
	// are written in (see window.go); called at each flush, since the
	// ranking may depend on the file's current shape. Without it they go
	// in key byte order.
	Order func() func(key []byte) uint32
	// Reorder allows buffered updates (BufferUpdates). Off for stores
	// whose files must come out as Postfix writes them, record by record
	// in source order (LMDB's page layout follows the insertion order).
	Reorder bool

	kb, vb []byte
	win    *window // buffered updates (BufferUpdates)
}

// locked runs fn with the table's lock when per-access locking is on.
func (t *Table) locked(op dict.LockOp, fn func() error) error {
	if t.Flags()&dict.FlagLock == 0 {
		return fn()
	}
	return t.WithLock(op, fn)
}

// Lookup implements dict.Dict.
func (t *Table) Lookup(key string) (value string, ok bool, err error) {
	if err := t.FlushUpdates(); err != nil {
		return "", false, err
	}
	key = t.FoldKey(key)
	if oc, can := t.Store.(OneCallStore); can {
		return t.lookupOneCall(oc, key)
	}
	err = t.locked(dict.LockShared, func() error {
		var lerr error
		value, ok, lerr = t.LookupNUL(key, func(k []byte) ([]byte, bool, error) {
			v, found, err := t.Store.Get(k, t.vb)
			if found {
				t.vb = v
			}
			return v, found, err
		})
		if lerr != nil {
			return t.Fail(OpRead, lerr)
		}
		return nil
	})
	return value, ok, err
}

// Update implements dict.Dict: an existing key keeps its value (with the
// duplicate handling the flags ask for) unless FlagDupReplace is set.
func (t *Table) Update(key, value string) error {
	key = t.FoldKey(key)
	nul := t.UpdateNUL(true)
	if t.win != nil {
		return t.bufferUpdate(key, value, nul)
	}
	return t.locked(dict.LockExclusive, func() error {
		stored, err := t.Store.PutString(key, value, nul, t.Flags()&dict.FlagDupReplace != 0)
		return t.putResult(stored, err, key)
	})
}

// putResult handles the outcome of one put of key (as the messages
// name it, without a trailing NUL): store errors, the duplicate handling
// of a key that was kept, and the per-update sync.
func (t *Table) putResult(stored bool, err error, key string) error {
	switch {
	case err != nil && t.PassThrough != nil && errors.Is(err, t.PassThrough):
		return err
	case err != nil:
		return t.Fail(OpWrite, err)
	case !stored:
		if _, err := t.Duplicate(t.DupLabel, key); err != nil {
			return err
		}
	}
	return t.sync()
}

func (t *Table) sync() error {
	if t.Sync != nil && t.Flags()&dict.FlagSyncUpdate != 0 {
		if err := t.Sync(); err != nil {
			return t.Fail(OpFlush, err)
		}
	}
	return nil
}

// Delete implements dict.Dict, trying the key with and then without a
// trailing NUL as the flags allow, and remembering which form exists.
func (t *Table) Delete(key string) (found bool, err error) {
	if err := t.FlushUpdates(); err != nil {
		return false, err
	}
	key = t.FoldKey(key)
	err = t.locked(dict.LockExclusive, func() error {
		for _, nul := range []bool{true, false} {
			flag, other := dict.FlagTry1Null, dict.FlagTry0Null
			if !nul {
				flag, other = other, flag
			}
			if found || t.Flags()&flag == 0 {
				continue
			}
			ok, err := t.Store.Delete(dict.NULBytes(key, nul))
			if err != nil {
				return t.Fail(OpDelete, err)
			}
			if ok {
				found = true
				t.ClearFlags(other)
			}
		}
		return t.sync()
	})
	return found, err
}

// Sequence implements dict.Dict in the store's order; key and value are
// cut at their first NUL byte, as C strings.
func (t *Table) Sequence(op dict.SeqOp) (key, value string, ok bool, err error) {
	if err := t.FlushUpdates(); err != nil {
		return "", "", false, err
	}
	err = t.locked(dict.LockShared, func() error {
		k, v, found, err := t.Store.Seq(op == dict.SeqFirst, t.kb, t.vb)
		if err != nil {
			return t.Fail(OpSeek, err)
		}
		if found {
			t.kb, t.vb = k, v
			key, value, ok = dict.CutNUL(k), dict.CutNUL(v), true
		}
		return nil
	})
	return key, value, ok, err
}

// lookupOneCall is Lookup through a OneCallStore, with the same flag
// updates and errors as the general path (Base.LookupNUL, Base.WithLock).
// Inside a batch (Base.HoldLock) the store neither locks nor unlocks.
func (t *Table) lookupOneCall(oc OneCallStore, key string) (string, bool, error) {
	f := t.Flags()
	fd := -1
	if f&dict.FlagLock != 0 && t.HeldLock() == dict.LockNone {
		fd = t.LockFD
	}
	r, err := oc.LookupLocked(fd, t.LockStyle, key, f&dict.FlagTry1Null != 0, f&dict.FlagTry0Null != 0, t.vb)
	switch {
	case r.LockErr != nil:
		return "", false, dict.Wrap(dict.KindRetry, r.LockErr, "%s: lock dictionary", t.Name())
	case err != nil:
		return "", false, t.Fail(OpRead, err)
	case r.UnlockErr != nil:
		return "", false, dict.Wrap(dict.KindRetry, r.UnlockErr, "%s: unlock dictionary", t.Name())
	case !r.OK:
		return "", false, nil
	}
	t.vb = r.Value
	if r.WithNUL {
		t.ClearFlags(dict.FlagTry0Null)
	} else {
		t.ClearFlags(dict.FlagTry1Null)
	}
	return dict.CutNUL(r.Value), true, nil
}

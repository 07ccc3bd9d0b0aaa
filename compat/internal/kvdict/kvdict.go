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

	kb, vb []byte
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
	key = t.FoldKey(key)
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
	return t.locked(dict.LockExclusive, func() error {
		stored, err := t.Store.PutString(key, value, nul, t.Flags()&dict.FlagDupReplace != 0)
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
	})
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

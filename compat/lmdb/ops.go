package lmdb

/*
#include "helpers.h"
#include "gp_lock.h"
*/
import "C"

import (
	"syscall"
	"unsafe"

	"gopostfix/compat/internal/kvdict"
	"gopostfix/libglobal/util/dict"
)

func ptr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}

func goBytes(b C.gp_buf, buf []byte) []byte {
	return append(buf[:0], unsafe.Slice((*byte)(unsafe.Pointer(b.data)), int(b.len))...)
}

// Get returns a copy of the value under key, appended to buf[:0]; found
// is false for a missing key.
func (e *Env) Get(key, buf []byte) (val []byte, found bool, err error) {
	if e.broken != nil {
		return nil, false, e.broken
	}
	rc := C.gp_lmdb_get(e.h, ptr(key), C.size_t(len(key)))
	switch rc {
	case 0:
		return goBytes(e.h.val, buf), true, nil
	case C.MDB_NOTFOUND:
		return nil, false, nil
	}
	return nil, false, e.result(rc)
}

// Put stores key=val; with overwrite false an existing key is kept and
// stored is false (MDB_NOOVERWRITE). In bulk mode ErrRestart means every
// record must be written again.
func (e *Env) Put(key, val []byte, overwrite bool) (stored bool, err error) {
	return e.put(ptr(key), len(key), ptr(val), len(val), overwrite)
}

// PutString is Put for string key and value, each with a trailing NUL
// byte when nul is set. It copies both into C memory first, which is
// cheaper per call than handing Go memory to C, for table builds.
func (e *Env) PutString(key, val string, nul, overwrite bool) (stored bool, err error) {
	extra := 0
	if nul {
		extra = 1
	}
	klen, vlen := len(key)+extra, len(val)+extra
	if rc := C.gp_buf_reserve(&e.h.scratch, C.size_t(klen+vlen)); rc != 0 {
		return false, Errno(rc)
	}
	buf := unsafe.Slice((*byte)(unsafe.Pointer(e.h.scratch.data)), klen+vlen)
	copy(buf, key)
	copy(buf[klen:], val)
	if nul {
		buf[klen-1], buf[klen+vlen-1] = 0, 0
	}
	k := unsafe.Pointer(e.h.scratch.data)
	return e.put(k, klen, unsafe.Add(k, klen), vlen, overwrite)
}

func (e *Env) put(k unsafe.Pointer, klen int, v unsafe.Pointer, vlen int, overwrite bool) (bool, error) {
	if e.broken != nil {
		return false, e.broken
	}
	var flags C.uint
	if !overwrite {
		flags = C.MDB_NOOVERWRITE
	}
	switch rc := C.gp_lmdb_put(e.h, k, C.size_t(klen), v, C.size_t(vlen), flags); rc {
	case 0:
		return true, nil
	case C.MDB_KEYEXIST:
		return false, nil
	default:
		return false, e.result(rc)
	}
}

// Delete removes key; found is false when it was not there.
func (e *Env) Delete(key []byte) (found bool, err error) {
	if e.broken != nil {
		return false, e.broken
	}
	rc := C.gp_lmdb_del(e.h, ptr(key), C.size_t(len(key)))
	switch rc {
	case 0:
		return true, nil
	case C.MDB_NOTFOUND:
		return false, nil
	}
	return false, e.result(rc)
}

// Seq returns the first record (first true) or the next one in key order;
// ok is false at the end. It is not available in bulk mode. Key and value
// are copies appended to kbuf[:0] and vbuf[:0].
func (e *Env) Seq(first bool, kbuf, vbuf []byte) (key, val []byte, ok bool, err error) {
	rc := C.gp_lmdb_seq(e.h, cbool(first))
	switch rc {
	case 0:
		return goBytes(e.h.key, kbuf), goBytes(e.h.val, vbuf), true, nil
	case C.MDB_NOTFOUND:
		return nil, nil, false, nil
	}
	return nil, nil, false, e.result(rc)
}

// LookupLocked is a whole dictionary lookup in one cgo call (see
// kvdict.OneCallStore): shared lock on lockFD (unless it is -1) in the
// given style, the key with a trailing NUL when try1, then without when
// try0, unlock.
func (e *Env) LookupLocked(lockFD int, style dict.LockStyle, key string, try1, try0 bool, buf []byte) (kvdict.Found, error) {
	if e.broken != nil {
		return kvdict.Found{}, e.broken
	}
	var withNUL, lockErr, unlockErr C.int
	rc := C.gp_lmdb_lookup(e.h, C.int(lockFD), C.int(style), unsafe.Pointer(unsafe.StringData(key)), C.size_t(len(key)),
		cbool(try1), cbool(try0), &withNUL, &lockErr, &unlockErr)
	f := kvdict.Found{}
	if unlockErr != 0 {
		f.UnlockErr = syscall.Errno(unlockErr)
	}
	switch rc {
	case C.GP_LOCK_FAILED:
		return kvdict.Found{LockErr: syscall.Errno(lockErr)}, nil
	case C.MDB_NOTFOUND:
		return f, nil
	case 0:
		f.Value, f.OK, f.WithNUL = goBytes(e.h.val, buf), true, withNUL != 0
		return f, nil
	}
	return f, e.result(rc)
}

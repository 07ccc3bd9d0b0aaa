package bdb

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

// ptr returns a C view of b's bytes for the duration of one call (cgo pins
// the slice's array while the call runs; libdb copies what it keeps).
func ptr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}

// Get returns a copy of the value stored under key, appended to buf[:0]
// so that callers can reuse one buffer. found is false for a missing key.
func (d *DB) Get(key, buf []byte) (val []byte, found bool, err error) {
	var v unsafe.Pointer
	var vlen C.size_t
	rc := C.gp_bdb_get(d.h, ptr(key), C.size_t(len(key)), &v, &vlen)
	switch {
	case rc == C.DB_NOTFOUND:
		return nil, false, nil
	case rc == C.DB_KEYEMPTY:
		return nil, false, Errno(syscall.EINVAL)
	case rc != 0:
		return nil, false, Errno(rc)
	}
	return append(buf[:0], unsafe.Slice((*byte)(v), int(vlen))...), true, nil
}

// Put stores key=val. With overwrite false an existing key is kept and
// stored is false (DB_NOOVERWRITE); otherwise the value is replaced.
func (d *DB) Put(key, val []byte, overwrite bool) (stored bool, err error) {
	return d.put(ptr(key), len(key), ptr(val), len(val), overwrite)
}

// PutString is Put for string key and value, each with a trailing NUL
// byte when nul is set. It copies both into C memory first, which is
// cheaper per call than handing Go memory to C, for table builds.
func (d *DB) PutString(key, val string, nul, overwrite bool) (stored bool, err error) {
	extra := 0
	if nul {
		extra = 1
	}
	klen, vlen := len(key)+extra, len(val)+extra
	if rc := C.gp_bdb_reserve(d.h, C.size_t(klen+vlen)); rc != 0 {
		return false, Errno(rc)
	}
	buf := unsafe.Slice((*byte)(unsafe.Pointer(d.h.scratch)), klen+vlen)
	copy(buf, key)
	copy(buf[klen:], val)
	if nul {
		buf[klen-1], buf[klen+vlen-1] = 0, 0
	}
	k := unsafe.Pointer(d.h.scratch)
	return d.put(k, klen, unsafe.Add(k, klen), vlen, overwrite)
}

func (d *DB) put(k unsafe.Pointer, klen int, v unsafe.Pointer, vlen int, overwrite bool) (bool, error) {
	var flags C.uint32_t
	if !overwrite {
		flags = C.DB_NOOVERWRITE
	}
	switch rc := C.gp_bdb_put(d.h, k, C.size_t(klen), v, C.size_t(vlen), flags); rc {
	case 0:
		return true, nil
	case C.DB_KEYEXIST:
		return false, nil
	default:
		return false, Errno(rc)
	}
}

// Delete removes key; found is false when it was not there.
func (d *DB) Delete(key []byte) (found bool, err error) {
	rc := C.gp_bdb_del(d.h, ptr(key), C.size_t(len(key)))
	switch rc {
	case 0:
		return true, nil
	case C.DB_NOTFOUND:
		return false, nil
	}
	return false, Errno(rc)
}

// Seq returns the first record (first true) or the next one, in the
// access method's order (hash buckets or sorted btree keys); ok is false
// at the end. Key and value are copies appended to kbuf[:0] and vbuf[:0].
func (d *DB) Seq(first bool, kbuf, vbuf []byte) (key, val []byte, ok bool, err error) {
	var k, v unsafe.Pointer
	var klen, vlen C.size_t
	f := C.int(0)
	if first {
		f = 1
	}
	rc := C.gp_bdb_cursor_get(d.h, f, &k, &klen, &v, &vlen)
	switch {
	case rc == C.DB_NOTFOUND:
		return nil, nil, false, nil
	case rc != 0:
		return nil, nil, false, Errno(rc)
	}
	key = append(kbuf[:0], unsafe.Slice((*byte)(k), int(klen))...)
	val = append(vbuf[:0], unsafe.Slice((*byte)(v), int(vlen))...)
	return key, val, true, nil
}

// LookupLocked is a whole dictionary lookup in one cgo call (see
// kvdict.OneCallStore): shared lock on lockFD (unless it is -1) in the
// given style, the key with a trailing NUL when try1, then without when
// try0, unlock.
func (d *DB) LookupLocked(lockFD int, style dict.LockStyle, key string, try1, try0 bool, buf []byte) (kvdict.Found, error) {
	var v unsafe.Pointer
	var vlen C.size_t
	var withNUL, lockErr, unlockErr C.int
	rc := C.gp_bdb_lookup(d.h, C.int(lockFD), C.int(style), unsafe.Pointer(unsafe.StringData(key)), C.size_t(len(key)),
		cbool(try1), cbool(try0), &v, &vlen, &withNUL, &lockErr, &unlockErr)
	f := kvdict.Found{UnlockErr: errnoOrNil(unlockErr)}
	switch {
	case rc == C.GP_LOCK_FAILED:
		return kvdict.Found{LockErr: syscall.Errno(lockErr)}, nil
	case rc == C.DB_NOTFOUND:
		return f, nil
	case rc == C.DB_KEYEMPTY:
		return f, Errno(syscall.EINVAL)
	case rc != 0:
		return f, Errno(rc)
	}
	f.Value, f.OK, f.WithNUL = append(buf[:0], unsafe.Slice((*byte)(v), int(vlen))...), true, withNUL != 0
	return f, nil
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

func errnoOrNil(e C.int) error {
	if e == 0 {
		return nil
	}
	return syscall.Errno(e)
}

package lmdb

/*
#cgo CFLAGS: -I${SRCDIR}/../internal/cgolock
#cgo LDFLAGS: -llmdb
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"syscall"
	"unsafe"

	"gopostfix/libglobal/util/dict"
)

// Options say how to open a file, in Postfix's terms.
type Options struct {
	ReadOnly bool  // O_RDONLY: MDB_RDONLY
	Truncate bool  // O_TRUNC: drop the old content first
	Bulk     bool  // DICT_FLAG_BULK_UPDATE: one transaction until Close
	MapSize  int64 // initial map size (lmdb_map_size); at least 10240
}

// DefaultMapSize is lmdb_map_size's default.
const DefaultMapSize = 16777216

// Env is an open LMDB file. It is not safe for concurrent use.
type Env struct {
	h      *C.gp_lmdb
	path   string
	broken error // a bulk transaction failed for good
}

// Errno is an LMDB result code: a system errno (positive) or one of LMDB's
// own codes (negative).
type Errno int

// Result codes callers test for.
const (
	KeyExist Errno = C.MDB_KEYEXIST
	NotFound Errno = C.MDB_NOTFOUND
	MapFull  Errno = C.MDB_MAP_FULL
)

// Error is mdb_strerror's text, which Postfix prints for LMDB failures.
func (e Errno) Error() string { return C.GoString(C.mdb_strerror(C.int(e))) }

// Unwrap lets errors.Is match system errnos.
func (e Errno) Unwrap() error {
	if e > 0 {
		return syscall.Errno(e)
	}
	return nil
}

// ErrRestart reports that a bulk transaction ran out of map space and
// started over with a larger map: every record written since Open must be
// written again (see the package comment). It is dict.ErrRestart, which
// postmap and postalias handle by reading their source again.
var ErrRestart = dict.ErrRestart

func (e *Env) result(rc C.int) error {
	switch rc {
	case 0:
		return nil
	case C.GP_LMDB_RESTART:
		return ErrRestart
	}
	if e.h != nil && e.h.bulk != 0 && e.h.txn == nil {
		e.broken = Errno(rc)
	}
	return Errno(rc)
}

// OpenFile opens path, creating it unless o.ReadOnly (LMDB creates missing
// files in read-write mode, whatever O_CREAT says, as under Postfix).
func OpenFile(path string, o Options) (*Env, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	size := o.MapSize
	if size <= 0 {
		size = DefaultMapSize
	}
	var h *C.gp_lmdb
	rc := C.gp_lmdb_open(cpath, C.size_t(size), cbool(o.ReadOnly), cbool(o.Truncate), cbool(o.Bulk), &h)
	if rc != 0 {
		return nil, Errno(rc)
	}
	return &Env{h: h, path: path}, nil
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// Path returns the file name given to Open.
func (e *Env) Path() string { return e.path }

// Fd returns the descriptor of the data file, for fcntl locks and fstat.
func (e *Env) Fd() int { return int(e.h.fd) }

// MapSize returns the current map size.
func (e *Env) MapSize() int64 { return int64(e.h.curr_limit) }

// Close commits a bulk transaction and closes the file. ErrRestart means
// the commit needed a larger map: the Env is still open, in a fresh
// transaction, and the caller must write everything again and Close again.
func (e *Env) Close() error {
	if e.h == nil {
		return nil
	}
	rc := C.gp_lmdb_close(e.h)
	if rc == C.GP_LMDB_RESTART {
		return ErrRestart
	}
	e.h = nil
	if rc != 0 {
		return Errno(rc)
	}
	return nil
}

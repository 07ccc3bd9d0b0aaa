package bdb

/*
#cgo CFLAGS: -I${SRCDIR}/../internal/cgolock
#cgo LDFLAGS: -ldb-5.3
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"path/filepath"
	"syscall"
	"unsafe"

	"gopostfix/libglobal/util/syserr"
)

// CompiledVersion is the libdb version this package was built against
// ("5.3.28").
func CompiledVersion() string {
	return fmt.Sprintf("%d.%d.%d", C.DB_VERSION_MAJOR, C.DB_VERSION_MINOR, C.DB_VERSION_PATCH)
}

// RuntimeVersion is the version of the libdb the program runs with.
func RuntimeVersion() string {
	var major, minor, patch C.int
	C.db_version(&major, &minor, &patch)
	return fmt.Sprintf("%d.%d.%d", major, minor, patch)
}

// Kind selects the access method.
type Kind int

const (
	Hash  Kind = iota // DB_HASH, Postfix's "hash" type
	Btree             // DB_BTREE, Postfix's "btree" type
)

// HashNelem is the h_nelem hint Postfix gives every hash file it opens
// (DICT_DB_NELM).
const HashNelem = 4096

// Options say how to open a file, in open(2) terms as Postfix does.
type Options struct {
	Kind      Kind
	ReadOnly  bool // O_RDONLY: DB_RDONLY
	Create    bool // O_CREAT: DB_CREATE
	Truncate  bool // O_TRUNC: DB_TRUNCATE
	CacheSize int  // memory pool size in bytes; smaller values keep libdb's default
}

// DB is an open Berkeley DB file. It is not safe for concurrent use.
type DB struct {
	h    *C.gp_bdb
	path string
}

// Status codes that callers test for.
var (
	ErrNotFound = Errno(C.DB_NOTFOUND)
	ErrKeyExist = Errno(C.DB_KEYEXIST)
)

// Errno is a libdb result code: a system errno (positive) or one of
// libdb's own codes (negative).
type Errno int

// Error renders the code the way Postfix's "%m" does after it stores a
// libdb result in errno: strerror text, "Unknown error N" for libdb codes.
func (e Errno) Error() string {
	if e > 0 {
		return syserr.Errno(syscall.Errno(e))
	}
	return fmt.Sprintf("Unknown error %d", int(e))
}

// Unwrap lets errors.Is match system errnos (syscall.ENOENT, ...).
func (e Errno) Unwrap() error {
	if e > 0 {
		return syscall.Errno(e)
	}
	return nil
}

func status(rc C.int) error {
	if rc == 0 {
		return nil
	}
	return Errno(rc)
}

// ErrVersion is returned by Open when the run-time libdb differs from the
// one this package was compiled against.
var ErrVersion = errors.New("incorrect version of Berkeley DB")

// OpenFile opens (and with o.Create, creates) the database file path, whose
// directory becomes the environment home, as Postfix's dict_db_open does.
func OpenFile(path string, o Options) (*DB, error) {
	if C.gp_bdb_version_ok() == 0 {
		return nil, ErrVersion
	}
	var flags C.uint32_t = C.DB_FCNTL_LOCKING
	if o.ReadOnly {
		flags |= C.DB_RDONLY
	}
	if o.Create {
		flags |= C.DB_CREATE
	}
	if o.Truncate {
		flags |= C.DB_TRUNCATE
	}
	home := C.CString(filepath.Dir(path))
	defer C.free(unsafe.Pointer(home))
	file := C.CString(filepath.Base(path))
	defer C.free(unsafe.Pointer(file))
	hash := C.int(0)
	if o.Kind == Hash {
		hash = 1
	}
	cache := o.CacheSize
	if cache < 0 {
		cache = 0
	}
	var h *C.gp_bdb
	if rc := C.gp_bdb_open(home, file, hash, flags, C.uint32_t(cache), HashNelem, &h); rc != 0 {
		return nil, Errno(rc)
	}
	return &DB{h: h, path: path}, nil
}

// Path returns the file name given to Open.
func (d *DB) Path() string { return d.path }

// Fd returns the descriptor libdb holds on the file, for locks and
// fstat.
func (d *DB) Fd() (int, error) {
	var fd C.int
	if rc := C.gp_bdb_fd(d.h, &fd); rc != 0 {
		return -1, Errno(rc)
	}
	return int(fd), nil
}

// Sync flushes the memory pool to the file.
func (d *DB) Sync() error { return status(C.gp_bdb_sync(d.h)) }

// Close closes the cursor, the database and its environment. It is safe
// to call more than once.
func (d *DB) Close() error {
	if d.h == nil {
		return nil
	}
	rc := C.gp_bdb_close(d.h)
	d.h = nil
	return status(rc)
}

// HashBuckets returns the number of buckets of a hash database.
func (d *DB) HashBuckets() (int, error) {
	var n C.uint32_t
	if rc := C.gp_bdb_hash_buckets(d.h, &n); rc != 0 {
		return 0, Errno(rc)
	}
	return int(n), nil
}

package bdb

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"

	"gopostfix/compat/internal/kvdict"
	"gopostfix/libglobal/util/dict"
)

// Default cache sizes: berkeley_db_read_buffer_size for lookups and
// updates, berkeley_db_create_buffer_size for postmap/postalias.
const (
	DefaultReadBuffer   = 131072
	DefaultCreateBuffer = 16777216
)

// Dict is a hash or btree table behind the dict.Dict interface. Its name
// is the file name with ".db", as in Postfix's messages.
type Dict struct {
	kvdict.Table
	db   *DB
	lock *os.File // postmap/postalias: the file lock held until Close
}

func kindOf(typ string) Kind {
	if typ == "btree" {
		return Btree
	}
	return Hash
}

func intParam(req dict.OpenRequest, name string, def int) int {
	if n, err := strconv.Atoi(req.Param(name, strconv.Itoa(def))); err == nil && n > 0 {
		return n
	}
	return def
}

// errno renders err as Postfix's "%m".
func errno(err error) string {
	var e Errno
	if errors.As(err, &e) {
		return e.Error()
	}
	return dict.ErrnoText(err)
}

func fatalf(err error, format string, args ...any) error {
	return &dict.Error{Kind: dict.KindFatal, Msg: fmt.Sprintf(format, args...) + ": " + errno(err), Err: err}
}

// Open opens NAME.db for lookups (O_RDONLY) or updates (O_RDWR, with
// O_CREAT and O_TRUNC as given), as dict_hash_open and dict_btree_open do.
func Open(req dict.OpenRequest) (dict.Dict, error) {
	d, err := open(req, intParam(req, "berkeley_db_read_buffer_size", DefaultReadBuffer))
	if err != nil {
		return nil, err
	}
	return d, nil
}

func open(req dict.OpenRequest, cache int) (*Dict, error) {
	path := req.Name + ".db"
	if log := req.Log(); log != nil && log.Verbose > 0 {
		// Postfix's texts end in a newline, which its logger shows as "?".
		log.Infof("Compiled against Berkeley DB: %s?", CompiledVersion())
		log.Infof("Run-time linked against Berkeley DB: %s?", RuntimeVersion())
	}
	// With per-access locking, hold a shared lock while libdb reads the
	// file's metadata, so that a writer is not caught half-way.
	if req.Flags&dict.FlagLock != 0 {
		lf, err := os.OpenFile(path, req.Mode&^(os.O_CREATE|os.O_TRUNC), 0644)
		switch {
		case err == nil:
			defer lf.Close()
			if err := dict.FlockFile(int(lf.Fd()), dict.LockShared); err != nil {
				return nil, fatalf(err, "shared-lock database %s for open", path)
			}
		case !errors.Is(err, syscall.ENOENT):
			return nil, &dict.Error{Kind: dict.KindConfig, Msg: "open database " + path + ": " + errno(err), Err: err}
		}
	}
	db, err := OpenFile(path, Options{
		Kind:      kindOf(req.Type),
		ReadOnly:  dict.ReadOnly(req.Mode),
		Create:    req.Mode&os.O_CREATE != 0,
		Truncate:  req.Mode&os.O_TRUNC != 0,
		CacheSize: cache,
	})
	if err != nil {
		return nil, &dict.Error{Kind: dict.KindConfig, Msg: "open database " + path + ": " + errno(err), Err: err}
	}
	fd, err := db.Fd()
	if err != nil {
		db.Close()
		return nil, fatalf(err, "get database file descriptor")
	}
	d := &Dict{db: db}
	d.Store, d.Sync, d.Fail = db, db.Sync, d.fail
	if kindOf(req.Type) == Hash && dict.ReadOnly(req.Mode) {
		d.Store = newGoHashStore(db, fd, &d.Base, cache)
	}
	flags := req.Flags | dict.FlagFixed
	if flags&(dict.FlagTry0Null|dict.FlagTry1Null) == 0 {
		flags |= dict.FlagTry0Null | dict.FlagTry1Null
	}
	d.InitName(req.Type, path, flags, req.Log())
	d.DupLabel = path
	d.LockFD = fd
	fi, err := os.Stat(path)
	if err != nil {
		db.Close()
		return nil, fatalf(err, "dict_db_open: fstat")
	}
	d.RecordFile(path, fi)
	if req.Flags&dict.FlagLock != 0 {
		d.WarnIfOlder(path, req.Name, d.MTime)
	}
	return d, nil
}

// fail words a fatal error as dict_db.c does.
func (d *Dict) fail(op kvdict.Op, err error) error {
	switch op {
	case kvdict.OpRead:
		return fatalf(err, "error reading %s", d.Name())
	case kvdict.OpWrite:
		return fatalf(err, "error writing %s", d.Name())
	case kvdict.OpDelete:
		return fatalf(err, "error deleting from %s", d.Name())
	case kvdict.OpSeek:
		var e Errno
		errors.As(err, &e)
		return fatalf(err, "error [%d] seeking %s", int(e), d.Name())
	}
	return fatalf(err, "%s: flush dictionary", d.Name())
}

// Close flushes and closes the file, then releases a postmap lock.
func (d *Dict) Close() error {
	if d.db == nil {
		return nil
	}
	if err := d.FlushUpdates(); err != nil {
		return err
	}
	var err error
	if serr := d.db.Sync(); serr != nil {
		err = fatalf(serr, "flush database %s", d.Name())
	}
	if cerr := d.db.Close(); cerr != nil && err == nil {
		d.Log().Infof("close database %s: %s (possible Berkeley DB bug)", d.Name(), errno(cerr))
	}
	d.db = nil
	if d.lock != nil {
		if cerr := d.lock.Close(); cerr != nil {
			d.Log().Warnf("close %s: %s", d.Name(), dict.ErrnoText(cerr))
		}
		d.lock = nil
	}
	return err
}

package lmdb

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"gopostfix/compat/internal/kvdict"
	"gopostfix/libglobal/util/dict"
)

// Dict is an lmdb table behind the dict.Dict interface. Its name is the
// table name without ".lmdb" (messages read "lmdb:NAME: ..."), as in
// Postfix.
type Dict struct {
	kvdict.Table
	env  *Env
	path string
}

func errText(err error) string {
	var e Errno
	if errors.As(err, &e) {
		return e.Error()
	}
	return dict.ErrnoText(err)
}

func (d *Dict) fatalf(err error, format string) error {
	return &dict.Error{Kind: dict.KindFatal, Msg: fmt.Sprintf(format, d.Type(), d.Name()) + ": " + errText(err), Err: err}
}

// fail words a fatal error as dict_lmdb.c does.
func (d *Dict) fail(op kvdict.Op, err error) error {
	format := map[kvdict.Op]string{
		kvdict.OpRead:   "error reading %s:%s",
		kvdict.OpWrite:  "error updating %s:%s",
		kvdict.OpDelete: "error deleting from %s:%s",
		kvdict.OpSeek:   "error seeking %s:%s",
	}[op]
	return d.fatalf(err, format)
}

// mapSize returns lmdb_map_size.
func mapSize(req dict.OpenRequest) int64 {
	if n, err := strconv.ParseInt(req.Param("lmdb_map_size", strconv.Itoa(DefaultMapSize)), 10, 64); err == nil && n > 0 {
		return n
	}
	return DefaultMapSize
}

// Open opens NAME.lmdb for lookups (O_RDONLY) or updates, as
// dict_lmdb_open does. With FlagBulkUpdate all updates go into one
// transaction that Close commits.
func Open(req dict.OpenRequest) (dict.Dict, error) {
	d, err := open(req, mapSize(req))
	if err != nil {
		return nil, err
	}
	return d, nil
}

func open(req dict.OpenRequest, size int64) (*Dict, error) {
	path := req.Name + ".lmdb"
	bulk := req.Flags&dict.FlagBulkUpdate != 0
	env, err := OpenFile(path, Options{
		ReadOnly: req.Mode == os.O_RDONLY,
		Truncate: req.Mode&os.O_TRUNC != 0,
		Bulk:     bulk,
		MapSize:  size,
	})
	if err != nil {
		return nil, &dict.Error{Kind: dict.KindConfig, Msg: "open database " + path + ": " + errText(err), Err: err}
	}
	req.Log().Debugf("database %s:%s: using size limit %d during open", req.Type, req.Name, size)
	if bulk {
		// A moment of exclusive access proves that no reader still uses
		// pages of older transactions; the shared lock that remains
		// keeps other writers out until Close.
		if err := dict.LockFile(env.Fd(), dict.LockExclusive); err != nil {
			env.Close()
			return nil, &dict.Error{Kind: dict.KindFatal, Msg: path + ": lock dictionary: " + dict.ErrnoText(err), Err: err}
		}
		if err := dict.LockFile(env.Fd(), dict.LockShared); err != nil {
			env.Close()
			return nil, &dict.Error{Kind: dict.KindFatal, Msg: path + ": unlock dictionary: " + dict.ErrnoText(err), Err: err}
		}
	}
	d := &Dict{env: env, path: path}
	d.Store, d.Fail, d.PassThrough = env, d.fail, ErrRestart
	flags := req.Flags | dict.FlagFixed | dict.FlagMultiWriter
	if flags&(dict.FlagTry0Null|dict.FlagTry1Null) == 0 {
		flags |= dict.FlagTry0Null | dict.FlagTry1Null
	}
	d.InitName(req.Type, req.Name, flags, req.Log())
	d.DupLabel = d.Label()
	d.LockFD, d.LockStyle = env.Fd(), dict.StyleFcntl // dict_lmdb locks with fcntl
	if fi, err := os.Stat(path); err == nil {
		d.RecordFile(path, fi)
	}
	if req.Flags&dict.FlagLock != 0 {
		d.WarnIfOlder(path, req.Name, d.MTime)
	}
	return d, nil
}

// Close commits a bulk transaction and closes the file. ErrRestart means
// the commit needed a larger map: the table is still open and every
// update must be made again before the next Close.
func (d *Dict) Close() error {
	if d.env == nil {
		return nil
	}
	if err := d.FlushUpdates(); err != nil {
		return err
	}
	err := d.env.Close()
	if errors.Is(err, ErrRestart) {
		return err
	}
	d.env = nil
	if err != nil {
		return d.fatalf(err, "error closing %s:%s")
	}
	return nil
}

package stdtypes

import (
	"os"
	"syscall"

	"gopostfix/libglobal/util/cdb"
	"gopostfix/libglobal/util/dict"
)

// cdbQuery is a cdb table opened for lookups (dict_cdbq). Its name is the
// file name with ".cdb", as in Postfix's messages.
type cdbQuery struct {
	dict.Base
	r      *cdb.Reader
	hashes []uint32 // Prefetch's, reused
}

func openCDB(req dict.OpenRequest) (dict.Dict, error) {
	switch req.Mode & (os.O_RDONLY | os.O_WRONLY | os.O_RDWR | os.O_CREATE | os.O_TRUNC) {
	case os.O_RDONLY:
		return openCDBQuery(req)
	case os.O_WRONLY | os.O_CREATE | os.O_TRUNC, os.O_RDWR | os.O_CREATE | os.O_TRUNC:
		return makeCDB(req)
	}
	return nil, dict.Fatalf("dict_cdb_open: inappropriate open flags for cdb database - specify O_RDONLY or O_WRONLY|O_CREAT|O_TRUNC")
}

// openCDBQuery opens a cdb file for lookups. Only a file that cannot be
// opened is a surrogate-able failure; Postfix dies of the others.
func openCDBQuery(req dict.OpenRequest) (dict.Dict, error) {
	path := req.Name + ".cdb"
	f, err := os.Open(path)
	if err != nil {
		return nil, dict.Wrap(dict.KindConfig, err, "open database %s", path)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, dict.Wrap(dict.KindFatal, err, "dict_dbq_open: fstat")
	}
	r, err := cdb.Open(f)
	if err != nil {
		return nil, dict.Wrap(dict.KindFatal, err, "dict_cdbq_open: unable to init %s", path)
	}
	d := &cdbQuery{r: r}
	flags := req.Flags
	if flags&(dict.FlagTry0Null|dict.FlagTry1Null) == 0 {
		flags |= dict.FlagTry0Null | dict.FlagTry1Null
	}
	d.InitName(req.Type, path, flags|dict.FlagFixed, req.Log())
	d.RecordFile(path, st)
	d.WarnIfOlder(path, req.Name, st.ModTime())
	return d, nil
}

func (d *cdbQuery) Lookup(key string) (string, bool, error) {
	v, ok, err := d.LookupNUL(d.FoldKey(key), func(k []byte) ([]byte, bool, error) {
		return d.r.Find(k)
	})
	if err != nil {
		return "", false, dict.Wrap(dict.KindFatal, err, "error reading %s", d.Name())
	}
	return v, ok, nil
}

// Prefetch implements dict.Prefetcher: the hashes of the key forms the
// next lookups will try go to cdb.Reader.Prefetch.
func (d *cdbQuery) Prefetch(keys []string) {
	f := d.Flags()
	d.hashes = d.hashes[:0]
	for _, k := range keys {
		k = d.FoldKey(k)
		if f&dict.FlagTry1Null != 0 {
			d.hashes = append(d.hashes, cdb.HashString(k, true))
		}
		if f&dict.FlagTry0Null != 0 {
			d.hashes = append(d.hashes, cdb.HashString(k, false))
		}
	}
	d.r.Prefetch(d.hashes)
}

func (d *cdbQuery) Close() error { return d.r.Close() }

// cdbMake is a cdb table being built (dict_cdbm): records go to
// NAME.cdb.tmp, which Close renames to NAME.cdb, so readers see the old
// or the new table, never a partial one.
type cdbMake struct {
	dict.Base
	f        *os.File
	w        *cdb.Writer
	cdbPath  string
	tmpPath  string
	finished bool
}

func makeCDB(req dict.OpenRequest) (dict.Dict, error) {
	if req.Mode&os.O_TRUNC == 0 {
		return nil, dict.Fatalf("dict_cdb_open: inappropriate open flags for cdb database - specify O_RDONLY or O_WRONLY|O_CREAT|O_TRUNC")
	}
	cdbPath, tmpPath := req.Name+".cdb", req.Name+".cdb.tmp"
	// Open and lock the existing temporary file; when another postmap
	// renamed it away while we waited for the lock, start over with a
	// fresh one. A temporary file that is gone altogether after the lock
	// is fatal, as in dict_cdbm_open.
	var f *os.File
	for {
		var err error
		f, err = os.OpenFile(tmpPath, os.O_RDWR|os.O_CREATE, 0644)
		if err != nil {
			return nil, dict.Wrap(dict.KindConfig, err, "open database %s", tmpPath)
		}
		st0, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, dict.Wrap(dict.KindFatal, err, "fstat(%s)", tmpPath)
		}
		if err := dict.FlockFile(int(f.Fd()), dict.LockExclusive); err != nil {
			f.Close()
			return nil, dict.Wrap(dict.KindFatal, err, "lock %s", tmpPath)
		}
		st1, err := os.Stat(tmpPath)
		if err != nil {
			f.Close()
			return nil, dict.Wrap(dict.KindFatal, err, "stat(%s)", tmpPath)
		}
		s0, s1 := st0.Sys().(*syscall.Stat_t), st1.Sys().(*syscall.Stat_t)
		if s0.Ino == s1.Ino && s0.Dev == s1.Dev && s0.Rdev == s1.Rdev && s0.Nlink == s1.Nlink && s0.Nlink > 0 {
			if st0.Size() > 0 {
				f.Truncate(0)
			}
			break
		}
		f.Close()
	}
	d := &cdbMake{f: f, w: cdb.NewWriter(f), cdbPath: cdbPath, tmpPath: tmpPath}
	flags := req.Flags
	if flags&(dict.FlagTry0Null|dict.FlagTry1Null) == 0 {
		flags |= dict.FlagTry0Null
	} else if flags&dict.FlagTry1Null != 0 {
		flags &^= dict.FlagTry0Null
	}
	d.Init(req, dict.FlagFixed)
	d.SetFlags(flags | dict.FlagFixed)
	if st, err := f.Stat(); err == nil {
		d.RecordFile(tmpPath, st)
		d.StatPath = ""
	}
	return d, nil
}

func (d *cdbMake) Update(key, value string) error {
	key = d.FoldKey(key)
	nul := d.Flags()&dict.FlagTry1Null != 0
	mode := cdb.Insert
	switch f := d.Flags(); {
	case f&dict.FlagDupIgnore != 0:
		mode = cdb.Add
	case f&dict.FlagDupReplace != 0:
		mode = cdb.Replace
	}
	exists, err := d.w.PutString(key, value, nul, mode)
	if err != nil {
		return dict.Wrap(dict.KindFatal, err, "error writing %s", d.tmpPath)
	}
	if exists && mode == cdb.Insert {
		_, err := d.Duplicate(d.Name(), key)
		return err
	}
	return nil
}

func (d *cdbMake) Close() error {
	if d.finished {
		return nil
	}
	d.finished = true
	if err := d.w.Finish(); err != nil {
		d.f.Close()
		return dict.Wrap(dict.KindFatal, err, "finish database %s", d.tmpPath)
	}
	if err := d.f.Sync(); err != nil {
		d.f.Close()
		return dict.Wrap(dict.KindFatal, err, "fsync database %s", d.tmpPath)
	}
	if err := os.Rename(d.tmpPath, d.cdbPath); err != nil {
		d.f.Close()
		return dict.Wrap(dict.KindFatal, err, "rename database from %s to %s", d.tmpPath, d.cdbPath)
	}
	if err := d.f.Close(); err != nil {
		return dict.Wrap(dict.KindFatal, err, "close database %s", d.cdbPath)
	}
	return nil
}

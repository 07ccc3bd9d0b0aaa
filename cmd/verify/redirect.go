package main

import (
	"path/filepath"
	"strings"
	"syscall"

	"gopostfix/libglobal/util/msg"
)

// redirectTypes are the file-based table types whose files are moved to
// data_directory when they sit in a directory not owned by mail_owner.
var redirectTypes = map[string]bool{"hash": true, "btree": true, "dbm": true, "lmdb": true, "cdb": true,
	"sdbm": true, "dbz": true}

// redirectEnv is what data_redirect_map needs from main.cf.
type redirectEnv struct {
	ownerUID int
	owner    string // mail_owner
	dataDir  string // data_directory
	dbType   string // default_database_type
	log      *msg.Logger
}

// dataRedirectMap returns the table to open for a read-write cache
// (data_redirect_map): a table whose directory exists and is not owned
// by mail_owner is moved to data_directory, with two warnings.
func dataRedirectMap(spec string, env redirectEnv) string {
	typ, path, ok := strings.Cut(spec, ":")
	if !ok {
		typ, path = env.dbType, spec
	}
	if !redirectTypes[typ] {
		return typ + ":" + path
	}
	dir := filepath.Dir(path)
	var st syscall.Stat_t
	if err := syscall.Stat(dir, &st); err == nil && int(st.Uid) != env.ownerUID {
		env.log.Warnf("request to update %s %s in non-%s directory %s", "table", spec, env.owner, dir)
		env.log.Warnf("redirecting the request to %s-owned %s %s", env.owner, "data_directory", env.dataDir)
		path = env.dataDir + "/" + filepath.Base(path)
	}
	return typ + ":" + path
}

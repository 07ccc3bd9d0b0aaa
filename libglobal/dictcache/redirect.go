package dictcache

import (
	"path/filepath"
	"strings"
	"syscall"

	"gopostfix/libglobal/util/msg"
)

// redirected tells the file-based table types whose files are moved to
// data_directory when they sit in a directory not owned by mail_owner.
func redirected(typ string) bool {
	switch typ {
	case "hash", "btree", "dbm", "lmdb", "cdb", "sdbm", "dbz":
		return true
	}
	return false
}

// RedirectEnv is what data_redirect_map needs from main.cf.
type RedirectEnv struct {
	OwnerUID int
	Owner    string // mail_owner
	DataDir  string // data_directory
	DBType   string // default_database_type
	Log      *msg.Logger
}

// DataRedirectMap returns the table to open for a read-write cache
// (data_redirect_map): a table whose directory exists and is not owned
// by mail_owner is moved to data_directory, with two warnings.
func DataRedirectMap(spec string, env RedirectEnv) string {
	typ, path, ok := strings.Cut(spec, ":")
	if !ok {
		typ, path = env.DBType, spec
	}
	if !redirected(typ) {
		return typ + ":" + path
	}
	dir := filepath.Dir(path)
	var st syscall.Stat_t
	if err := syscall.Stat(dir, &st); err == nil && int(st.Uid) != env.OwnerUID {
		env.Log.Warnf("request to update %s %s in non-%s directory %s", "table", spec, env.Owner, dir)
		env.Log.Warnf("redirecting the request to %s-owned %s %s", env.Owner, "data_directory", env.DataDir)
		path = env.DataDir + "/" + filepath.Base(path)
	}
	return typ + ":" + path
}

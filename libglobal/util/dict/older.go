package dict

import (
	"os"
	"time"
)

// WarnIfOlder logs Postfix's "database DB is older than source file SRC"
// warning when the source file was modified after the database and the
// change is more than 100 seconds old (a fresh change may be a postmap
// still running). dbMTime is the database file's modification time.
func (b *Base) WarnIfOlder(dbPath, srcPath string, dbMTime time.Time) {
	st, err := os.Stat(srcPath)
	if err != nil {
		return
	}
	src := st.ModTime().Unix()
	if src > dbMTime.Unix() && src < time.Now().Unix()-100 {
		b.log.Warnf("database %s is older than source file %s", dbPath, srcPath)
	}
}

// RecordFile sets StatPath and MTime for change detection and, when the
// file is not owned by root, marks the table untrusted; it is what every
// file-based type does after opening its file.
func (b *Base) RecordFile(path string, st os.FileInfo) {
	b.StatPath = path
	b.MTime = st.ModTime()
	if uid, ok := fileUID(st); ok {
		if uid == 0 {
			b.owner = Owner{Status: OwnerTrusted}
		} else {
			b.owner = Owner{Status: OwnerUntrusted, UID: uid}
		}
	}
}

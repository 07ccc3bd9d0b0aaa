package dict

import "errors"

// ErrRestart is returned by Update or Close of a table opened through
// OpenMaker with FlagBulkUpdate when its transaction had to start over
// (LMDB after MDB_MAP_FULL, where Postfix longjmps back into postmap):
// nothing of the update is kept, and the caller must feed every record
// again from the start and Close again.
var ErrRestart = errors.New("bulk update restarted")

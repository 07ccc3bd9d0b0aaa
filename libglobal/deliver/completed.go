package deliver

import (
	"fmt"
	"os"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
)

// Completed marks the recipient record at offset as done (R becomes D)
// in the open queue file (deliver_completed). Offset -1 means the
// recipient has no record (a qmgr-generated one) and is ignored. An
// error is fatal to the caller, as in Postfix.
func Completed(f *os.File, offset int64) error {
	if offset == -1 {
		return nil
	}
	if offset <= 0 {
		panic(fmt.Sprintf("deliver_completed: bad offset %d", offset))
	}
	if err := record.PutType(f, offset, record.Done); err != nil {
		return fmt.Errorf("update queue file %s: %s", f.Name(), queue.Strerror(err))
	}
	return nil
}

package bouncelog

import (
	"fmt"
	"io"
	"os"

	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/dict"
)

// Append adds e to the logfile of queue id in queue svc ("bounce",
// "defer" or "trace"), creating it with mode 0600. Every failure is one
// Postfix treats as fatal (the caller must not claim the recipient was
// handled); the error says what failed in Postfix's words.
func Append(l *queue.Layout, svc, id string, e Entry, oldCompat bool, lock mbox.LockParams) error {
	f, err := l.Open(svc, id, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0600)
	if err != nil {
		return fmt.Errorf("open file %s %s: %s", svc, id, dict.ErrnoText(err))
	}
	defer f.Close()
	if err := mbox.DeliverFlock(f, mbox.LockFlock, lock); err != nil {
		return fmt.Errorf("lock file %s %s: %s", svc, id, dict.ErrnoText(err))
	}
	origLen, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return fmt.Errorf("seek file %s %s: %s", svc, id, dict.ErrnoText(err))
	}
	_, err = f.WriteString(Format(e, oldCompat))
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		if terr := f.Truncate(origLen); terr != nil {
			return fmt.Errorf("truncate file %s %s: %s", svc, id, dict.ErrnoText(terr))
		}
		return fmt.Errorf("append file %s %s: %s", svc, id, dict.ErrnoText(err))
	}
	return nil
}

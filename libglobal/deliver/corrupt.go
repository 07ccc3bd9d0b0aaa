package deliver

import (
	"os"
	"syscall"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/eugid"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/syserr"
)

// MarkCorrupt flags the open queue file f as damaged (mark_corrupt): it
// warns "corrupted queue file: PATH" and sets the file mode to
// queue.StatCorrupt, which qmgr reads as "move to the corrupt queue".
// The queue file belongs to mail_owner, so an agent that is someone else
// at the time (local and virtual write as the recipient, pipe's parent
// may still be root) becomes ownerUID/ownerGID for the change and
// returns to its own identity afterwards. A failed fchmod is fatal, as
// in Postfix. The caller then defers the delivery (DEL_STAT_DEFER).
func MarkCorrupt(f *os.File, log *msg.Logger, ownerUID, ownerGID int) {
	if euid, egid := syscall.Geteuid(), syscall.Getegid(); euid != ownerUID {
		eugid.Set(ownerUID, ownerGID)
		defer eugid.Set(euid, egid)
	}
	log.Warnf("corrupted queue file: %s", f.Name())
	if err := f.Chmod(queue.StatCorrupt); err != nil {
		log.Fatalf("mark_corrupt: fchmod %s: %s", f.Name(), syserr.Text(err))
	}
}

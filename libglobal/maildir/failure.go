package maildir

import (
	"syscall"

	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/util/msg"
)

// FailureDSN is what local(8) and virtual(8) report when Deliver fails
// for the recipient uid/gid (deliver_maildir): the reason prefixed with
// "maildir delivery failed: ". When the recipient was refused access,
// two warnings first suggest creating the maildirs in advance.
func FailureDSN(log *msg.Logger, uid, gid int, why *mbox.Error) dsn.DSN {
	if why != nil && why.Errno == syscall.EACCES {
		log.Warnf("maildir access problem for UID/GID=%d/%d: %s", uid, gid, why.Reason)
		log.Warnf("perhaps you need to create the maildirs in advance")
	}
	d := why.DSN()
	d.Reason = "maildir delivery failed: " + d.Reason
	return d
}

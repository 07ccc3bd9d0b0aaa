package smtpd

import (
	"strings"
	"time"

	"gopostfix/libglobal/queue"
)

// verifyBase is the radix of the time stamp in a time-dependent address
// verification sender (VERIFY_BASE), written with Postfix's vowel-free
// digits (safe_ultostr).
const verifyBase = 31

// validVerifySender is valid_verify_sender_addr: whether addr is this
// system's address verification sender (address_verify_sender, with the
// time stamp of address_verify_sender_ttl when that is set), and if so
// its time-independent form. smtpd neither rejects that address as a
// recipient nor keeps its time stamp as a sender.
func (ss *Session) validVerifySender(addr string) (string, bool) {
	conf := ss.cfg.VerifySender
	if conf == "" || conf == "<>" {
		return "", addr == ""
	}
	if ss.deps.VerifySender == nil {
		return "", false
	}
	mine := ss.deps.VerifySender()
	base, myDomain, mineHasAt := strings.Cut(mine, "@")
	if len(addr) < len(base) || !strings.EqualFold(addr[:len(base)], base) {
		return "", false
	}
	rest := addr[len(base):]
	stamp, theirDomain, theirsHasAt := strings.Cut(rest, "@")
	if theirsHasAt != mineHasAt || !strings.EqualFold(theirDomain, myDomain) {
		return "", false
	}
	if ttl := ss.cfg.VerifySenderTTL; ttl > 0 {
		theirs, ok := queue.DecodeSafe(stamp, verifyBase)
		if !ok {
			return "", false
		}
		epoch := uint64(ss.deps.Now().Unix() / int64(ttl/time.Second))
		if theirs+1 < epoch || theirs > epoch+1 {
			return "", false
		}
	} else if stamp != "" {
		return "", false
	}
	return mine, true
}

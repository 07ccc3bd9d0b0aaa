package smtpd

import "strings"

// Unverified holds the settings of reject_unverified_recipient or
// reject_unverified_sender (unverified_*_defer_code, _reject_code,
// _reject_reason, _tempfail_action).
type Unverified struct {
	DeferCode, RejectCode int
	Reason, Tempfail      string
}

// unverified is reject_unverified_address: ask the verify service about
// addr, polling while the answer is "in progress", and reject with the
// class's code when the address bounces or is still unknown. dsn is the
// detail Postfix uses for the class (4.1.1 recipients, 4.1.7 senders);
// the codes decide the first digit.
func (ss *Session) unverified(addr, class, dsn string, u Unverified) int {
	var status, addrStatus int
	var why string
	for count := 0; ; {
		if ss.deps.Verify == nil {
			status = -1
			break
		}
		status, addrStatus, why = ss.deps.Verify.Query(addr)
		if status != VerifyOK || addrStatus != RcptTodo {
			break
		}
		if count++; count >= ss.cfg.VerifyPollCount {
			break
		}
		ss.deps.Sleep(ss.cfg.VerifyPollDelay)
	}
	ifPermit := !strings.EqualFold(u.Tempfail, "defer")
	if status != VerifyOK {
		service := "verify"
		if ss.deps.Verify != nil {
			service = ss.deps.Verify.Service()
		}
		ss.log.Warnf("%s service failure", service)
		return ss.deferIfPermit(ifPermit, 450, dsn, "<%s>: %s rejected: address verification problem", addr, class)
	}
	code := 0
	switch addrStatus {
	case RcptTodo, RcptDefer:
		code = u.DeferCode
	case RcptOK:
	case RcptBounce:
		code = u.RejectCode
	default:
		ss.log.Warnf("unknown address verification status %d", addrStatus)
	}
	if code >= 400 && u.Reason != "" {
		why = u.Reason
	}
	switch code / 100 {
	case 4:
		return ss.deferIfPermit(ifPermit, code, dsn, "<%s>: %s rejected: unverified address: %s", addr, class, truncate(why, 250))
	case 5:
		return ss.rejectAs(errPolicy, code, dsn, "<%s>: %s rejected: undeliverable address: %s", addr, class, why)
	}
	return resDunno
}

// deferIfPermit is Postfix's DEFER_IF_PERMIT: with a defer_if_permit
// tempfail action and outside warn_if_reject, remember the reply for the
// case that the restrictions end in permit; otherwise reject now.
func (ss *Session) deferIfPermit(ifPermit bool, code int, dsn, format string, args ...any) int {
	if ifPermit && !ss.check.warnIfReject {
		armDefer(&ss.check.deferIfPermit, code, dsn, format, args...)
		return resDunno
	}
	return ss.rejectAs(errPolicy, code, dsn, format, args...)
}

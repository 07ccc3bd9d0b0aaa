package main

import (
	"fmt"
	"time"

	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
)

// Whether a failure also throttles the destination in qmgr.
const (
	noThrottle = false
	throttle   = true
)

// relay is the relay= of log lines: the session's host[addr]:port.
func (st *state) relay() string {
	if st.sess == nil {
		return bounce.NoRelay
	}
	return st.sess.namaddrport
}

// checkCode marks protocol-level reply codes (smtp_check_code): they
// disable caching and make the session worth a postmaster notice.
func (s *session) checkCode(code int) {
	if code < 400 || code > 599 || code == 555 || (code >= 500 && code < 510) {
		s.errorMask |= errorProtocol
		s.dontCache()
	}
}

// fillDSN sets the status from a (possibly fake) reply (vsmtp_fill_dsn);
// a remote reply without a 4xx/5xx status becomes a 5.5.0 protocol error.
func (st *state) fillDSN(mta string, r response, reason string) {
	status := r.dsn
	if mta != "" && !r.local && status != "" && status[0] != '4' && status[0] != '5' {
		st.sess.errorMask |= errorProtocol
		st.sess.dontCache()
		reason = "Protocol error: " + reason
		status = "5.5.0"
	}
	st.why = dsn.DSN{Status: status, Reason: reason}
	if mta != "" {
		st.why.MType, st.why.MName = "dns", mta
	}
	if !r.local {
		st.why.DType, st.why.DText = "smtp", r.oneLine()
	}
}

// bulkFail applies the current status to every unmarked recipient
// (smtp_bulk_fail): a soft error on a server that is not the last one
// keeps them for the next; otherwise they are deferred or bounced.
func (st *state) bulkFail(thr bool) int {
	soft := st.hasSoft()
	softBounce := st.hasHard() && st.ag.cfg.softBounce
	if (soft || softBounce) && st.flags&flagFinalServer == 0 {
		st.ag.log.Infof("%s: %s", st.req.QueueID, st.why.Reason)
		for i := range st.rcpts[:st.left] {
			if st.rcpts[i].mark == 0 {
				st.markKeep(&st.rcpts[i])
			}
		}
	} else {
		now := time.Now()
		if st.req.Stats.ConnSetupDone.IsZero() {
			st.req.Stats.ConnSetupDone = now
			st.req.Stats.DeliverDone = now
		} else {
			st.req.Stats.DeliverDone = now
		}
		agg := 0
		for i := range st.rcpts[:st.left] {
			r := &st.rcpts[i]
			if r.mark != 0 {
				continue
			}
			agg |= st.report(r, soft, st.why)
			st.markDrop(r)
		}
		st.status |= agg
		if st.flags&flagCompleteSess == 0 && thr && agg != 0 && st.req.HopStatus == nil {
			hop := st.why
			st.req.HopStatus = &hop
		}
	}
	if thr && st.sess != nil {
		st.sess.dontCacheThrottled()
	}
	return -1
}

// report defers or bounces one recipient and marks it done when the
// report says so.
func (st *state) report(r *rcpt, soft bool, d dsn.DSN) int {
	fn := st.ag.status.BounceAppend
	if soft {
		fn = st.ag.status.DeferAppend
	}
	status := fn(deliver.TraceFlags(st.req.Flags), st.req.QueueID, st.req.Stats, r.Recipient, st.relay(), d)
	if status == 0 {
		st.completed(r)
	}
	return status
}

// completed marks a recipient done in the queue file.
func (st *state) completed(r *rcpt) {
	if err := deliver.Completed(st.src, r.Offset); err != nil {
		st.ag.fatal("%v", err)
	}
}

// miscFail fails the session or message with a reply
// (smtp_misc_fail: smtp_site_fail throttles, smtp_mesg_fail does not).
func (st *state) miscFail(thr bool, mta string, r response, format string, args ...any) int {
	st.fillDSN(mta, r, fmt.Sprintf(format, args...))
	if st.sess != nil && mta != "" {
		st.sess.checkCode(r.code)
	}
	return st.bulkFail(thr)
}

func (st *state) siteFail(mta string, r response, format string, args ...any) int {
	return st.miscFail(throttle, mta, r, format, args...)
}

func (st *state) mesgFail(mta string, r response, format string, args ...any) int {
	return st.miscFail(noThrottle, mta, r, format, args...)
}

// sessFail is smtp_sess_fail: the current status for every recipient.
func (st *state) sessFail() int { return st.bulkFail(throttle) }

// rcptFail fails one recipient (smtp_rcpt_fail).
func (st *state) rcptFail(r *rcpt, mta string, resp response, format string, args ...any) {
	if r.mark != 0 {
		panic(fmt.Sprintf("smtp_rcpt_fail: recipient <%s> is marked", r.Address))
	}
	st.fillDSN(mta, resp, fmt.Sprintf(format, args...))
	soft := st.hasSoft()
	softBounce := st.hasHard() && st.ag.cfg.softBounce
	if st.sess != nil && mta != "" {
		st.sess.checkCode(resp.code)
	}
	if (soft || softBounce) && st.flags&flagFinalServer == 0 {
		st.ag.log.Infof("%s: %s", st.req.QueueID, st.why.Reason)
		st.markKeep(r)
		return
	}
	st.status |= st.report(r, soft, st.why)
	st.markDrop(r)
}

// streamExcept handles a stream exception (smtp_stream_except).
func (st *state) streamExcept(err error, where string) int {
	s := st.sess
	switch err {
	case errEOF:
		st.setWhy("4.4.2", fmt.Sprintf("lost connection with %s while %s", s.namaddr, where))
		st.plaintextAfterTLSFailure()
	case errTime:
		st.setWhy("4.4.2", fmt.Sprintf("conversation with %s timed out while %s", s.namaddr, where))
		st.plaintextAfterTLSFailure()
	default:
		s.errorMask |= errorData
		st.setWhy("4.3.0", fmt.Sprintf("local data error while talking to %s", s.namaddr))
	}
	return st.bulkFail(throttle)
}

// rcptDone reports a delivered recipient (smtp_rcpt_done).
func (st *state) rcptDone(resp response, r *rcpt) {
	s := st.sess
	if s.features&featDSN != 0 {
		r.DSNNotify &^= deliver.NotifySuccess
	}
	action := "relayed"
	if s.features&featDSN == 0 && st.ag.cfg.lmtp && st.ag.cliFlags&cliFinal != 0 {
		action = "delivered"
	}
	d := dsn.DSN{Status: resp.dsn, Action: action, Reason: resp.oneLine(),
		MType: "dns", MName: st.it.host, DType: "smtp", DText: resp.oneLine()}
	status := st.ag.status.Sent(deliver.TraceFlags(st.req.Flags), st.req.QueueID, st.req.Stats, r.Recipient, s.namaddrport, d)
	if status == 0 && st.req.Flags&deliver.FlagSuccess != 0 {
		st.completed(r)
	}
	st.markDrop(r)
	st.status |= status
}

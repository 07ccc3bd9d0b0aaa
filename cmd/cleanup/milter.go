package main

import (
	"strings"

	"gopostfix/libglobal/cleanup"
	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/tok822"
)

// milterState is the per-message Milter state (the milter members of
// CLEANUP_STATE).
type milterState struct {
	// smtpd holds the milters smtpd handed over with the message; nil
	// when it sent none, and then non_smtpd_milters apply.
	smtpd *milter.Milters
	// Offsets for in-place edits; -1 until reserved.
	senderPtOffset, senderPtTarget int64
	rcptPtOffset, rcptPtTarget     int64
	hdrPtOffset, hdrPtTarget       int64
	metaPtOffset, metaPtTarget     int64
	bodyOffset                     int64
	// Body replacement regions.
	regionsInit bool
	freeRegions []*region
	bodyRegions []*region
	curRegion   *region
	// autoHdrs are cleanup's own headers Milters do not see.
	autoHdrs []string
	// The addresses the emulated MAIL and RCPT events sent.
	extFrom, extRcpt *string
	// client is the client the Milters were told about.
	client milterClient
	// hbcReply is the reply of a milter_header_checks REJECT or DISCARD,
	// which must not be applied a second time.
	hbcReply string
}

// newMilterState returns the state of a message before any reservation.
func newMilterState() milterState {
	return milterState{senderPtOffset: -1, senderPtTarget: -1, rcptPtOffset: -1, rcptPtTarget: -1,
		hdrPtOffset: -1, hdrPtTarget: -1, metaPtOffset: -1, metaPtTarget: -1, bodyOffset: -1}
}

// milterOn reports whether Milters apply to this message, so that room
// for edits is reserved ("state->milters || cleanup_milters").
func (st *state) milterOn() bool { return st.mil.smtpd != nil || st.cfg.milters != nil }

// milterOK is CLEANUP_MILTER_OK: the client allows Milters and nothing
// has gone wrong or discarded the message.
func (st *state) milterOK() bool {
	return st.flags&flagMilter != 0 && st.errs == 0 && st.flags&flagDiscard == 0
}

// milterEmulate reports whether SMTP events are emulated for
// non_smtpd_milters.
func (st *state) milterEmulate() bool {
	return st.cfg.milters != nil && st.mil.smtpd == nil && st.milterOK()
}

// milterReceive takes over the milters smtpd sends after the milter
// count record (cleanup_milter_receive).
func (st *state) milterReceive(count int) {
	if st.mil.smtpd != nil {
		st.mil.smtpd.Close()
	}
	m, err := milter.Receive(st.in, st.conn, count, st.cfg.milterCfg)
	if err != nil {
		st.cfg.log.Fatalf("cleanup_milter_receive: milter receive failed")
	}
	st.mil.smtpd = m
	if count <= 0 {
		return
	}
	m.SetMacroLookup(st.milterMacro)
	m.SetEditor(st)
}

// milterSetup points the daemon's non_smtpd_milters at this message.
func (st *state) milterSetup(m *milter.Milters) {
	m.SetMacroLookup(st.milterMacro)
	m.SetEditor(st)
	if !st.mil.client.set {
		st.milterClientInit()
	}
}

// milterEmulMail emulates the connect, EHLO and MAIL FROM events for
// non_smtpd_milters (cleanup_milter_emul_mail).
func (st *state) milterEmulMail() {
	m := st.cfg.milters
	st.milterSetup(m)
	cl := &st.mil.client
	if resp := m.ConnEvent(cl.name, cl.addr, cl.port, cl.family); resp != "" {
		st.milterApply("CONNECT", resp)
		return
	}
	if st.milterOK() {
		helo, ok := st.attrs["helo_name"]
		if !ok {
			helo = cl.name
		}
		if resp := m.HeloEvent(helo, true); resp != "" {
			st.milterApply("EHLO", resp)
			return
		}
	}
	if st.milterOK() {
		// Sendmail does not externalize the null address.
		from := deref(st.sender)
		if from != "" {
			from = tok822.Quote821Local(from, tok822.Quote8BitClean)
		}
		st.mil.extFrom = &from
		if resp := m.MailEvent([]string{from}); resp != "" {
			st.milterApply("MAIL", resp)
		}
	}
}

// milterEmulRcpt emulates RCPT TO for the recipient just processed
// (cleanup_milter_emul_rcpt). A Milter cannot reject one recipient of a
// local submission: that defers the whole message.
func (st *state) milterEmulRcpt() {
	rcpt := deref(st.recip)
	if rcpt != "" {
		rcpt = tok822.Quote821Local(rcpt, tok822.Quote8BitClean)
	}
	st.mil.extRcpt = &rcpt
	if resp := st.cfg.milters.RcptEvent(0, []string{rcpt}); resp != "" && st.milterApply("RCPT", resp) != "" {
		st.cfg.log.Warnf("%s: milter configuration error: can't reject recipient in non-smtpd(8) submission", st.queueID)
		st.cfg.log.Warnf("%s: message not accepted, try again later", st.queueID)
		st.reason = "4.3.5 Server configuration error"
		st.smtpReply = ""
		st.errs |= statDefer
	}
}

// milterEnd runs the Milters at the end of the message (the milter part
// of cleanup_flush): the DATA event for non_smtpd_milters, then the
// message itself.
func (st *state) milterEnd() {
	if !st.milterOK() {
		return
	}
	if st.mil.smtpd != nil {
		st.milterInspect(st.mil.smtpd)
		return
	}
	if m := st.cfg.milters; m != nil {
		if resp := m.DataEvent(); resp != "" {
			st.milterApply("DATA", resp)
		}
		if st.milterOK() {
			st.milterInspect(m)
		}
	}
}

// milterInspect sends the message to the Milters and applies their
// verdict (cleanup_milter_inspect).
func (st *state) milterInspect(m *milter.Milters) {
	if !st.mil.client.set {
		st.milterClientInit()
	}
	if st.cfg.milterHdrChecks != nil {
		st.filter, st.redirect, st.mil.hbcReply = "", "", ""
	}
	if err := st.buf.Flush(); err != nil {
		st.milterSetError(err)
		return
	}
	if resp := m.Message(st.file, st.dataOffset, st.mil.autoHdrs); resp != "" {
		st.milterApply("END-OF-MESSAGE", resp)
	}
	if st.cfg.milterHdrChecks != nil {
		st.milterHbcFinish()
	}
	st.flushEdit()
}

// milterApply applies a Milter reply (cleanup_milter_apply) and logs
// it; the result is the reason of a reject, else "".
func (st *state) milterApply(event, resp string) string {
	if st.mil.hbcReply != "" && resp == st.mil.hbcReply {
		return ""
	}
	// header checks already decided not to receive the message
	if st.flags&flagDiscard != 0 || st.errs&statCont != 0 || !st.outOK() {
		return ""
	}
	var action, text, ret string
	switch resp[0] {
	case 'H':
		if st.flags&flagHold != 0 {
			return ""
		}
		st.flags |= flagHold
		action, text = "milter-hold", "milter triggers HOLD action"
	case 'D':
		st.flags |= flagDiscard
		action, text = "milter-discard", "milter triggers DISCARD action"
	case 'S':
		// Postfix sets the status bit in the flags word here.
		st.flags |= statCont
		action, text = "milter-reject", cleanup.Strerror(statCont)
	case '4', '5':
		st.milterSetReply(resp)
		ret = st.reason
		if resp[0] == '4' {
			st.errs |= statDefer
		} else {
			st.errs |= statCont
		}
		action, text = "milter-reject", resp[min(4, len(resp)):]
	default:
		st.cfg.log.Warnf("%s: unexpected mail filter reply: %s", st.queueID, resp)
		st.errs |= statWrite
		return ""
	}
	cl := &st.mil.client
	st.cfg.log.Infof("%s: %s: %s from %s[%s]: %s;%s", st.queueID, action, event, cl.name, cl.addr, text, st.logTail())
	return ret
}

// milterSetReply keeps a Milter's SMTP reply for the client and its text
// as the reason (CLEANUP_MILTER_SET_SMTP_REPLY).
func (st *state) milterSetReply(resp string) {
	st.reason = printableReason(resp[min(4, len(resp)):])
	st.smtpReply = resp
}

// printableReason replaces non-printable bytes with '_' (printable()).
func printableReason(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '_'
		}
		return r
	}, s)
}

// logTail is the " from=<...> to=<...> proto=... helo=<...>" part of the
// Milter log lines.
func (st *state) logTail() string {
	var b strings.Builder
	if st.sender != nil {
		b.WriteString(" from=<" + *st.sender + ">")
	}
	if st.recip != nil {
		b.WriteString(" to=<" + *st.recip + ">")
	}
	if p, ok := st.attrs["log_protocol_name"]; ok {
		b.WriteString(" proto=" + p)
	}
	if h, ok := st.attrs["log_helo_name"]; ok {
		b.WriteString(" helo=<" + h + ">")
	}
	return b.String()
}

// ReplBody replaces the body, one record at a time between BodyStart and
// BodyEnd (cleanup_repl_body). Milters do not send the empty line that
// separates headers and body; it is written here.
func (st *state) ReplBody(op milter.BodyOp, t byte, line []byte) string {
	var err error
	switch op {
	case milter.BodyStart:
		if err = st.bodyEditStart(); err == nil {
			err = st.bodyEditWrite(record.Norm, "")
		}
	case milter.BodyLine:
		err = st.bodyEditWrite(t, string(line))
		if err == nil && st.outOK() {
			return ""
		}
	case milter.BodyEnd:
		st.bodyEditFinish()
		st.flushEdit()
	}
	if err != nil {
		return st.milterError(err)
	}
	if !st.outOK() {
		return st.milterError(nil)
	}
	return ""
}

package main

import (
	"strings"

	"gopostfix/libglobal/record"
)

// milterHeaderChecks applies milter_header_checks to a header a Milter
// adds or changes (cleanup_milter_header_checks with the
// header_body_checks actions). It returns the header to write and keep
// false when the header is dropped.
func (st *state) milterHeaderChecks(h string) (string, bool) {
	m := st.cfg.milterHdrChecks
	value, found, err := m.Find(h, false)
	if err != nil {
		st.cfg.log.Warnf("%s: %s map lookup problem -- message not accepted, try again later", st.queueID, "milter_header_checks")
		st.errs |= statWrite
		return h, false
	}
	if !found {
		return h, true
	}
	cmdLen := strings.IndexAny(value, " \t")
	if cmdLen < 0 {
		cmdLen = len(value)
	}
	cmd := value[:cmdLen]
	text := strings.TrimLeft(value[cmdLen:], " \t\r\n\v\f")
	if done := st.milterHbcExtend(strings.ToUpper(cmd), text, h); done {
		return h, true
	}
	log := st.cfg.log
	const mapClass = "milter_header_checks"
	switch strings.ToUpper(cmd) {
	case "WARN":
		st.milterHbcLog("warning", h, text)
	case "INFO":
		st.milterHbcLog("info", h, text)
	case "REPLACE":
		if st.actionArgOK("REPLACE", text, mapClass, true) {
			st.milterHbcLog("replace", h, text)
			return text, true
		}
	case "PREPEND":
		if st.actionArgOK("PREPEND", text, mapClass, true) {
			st.milterHbcLog("prepend", h, text)
			log.Warnf("the milter_header/body_checks prepend action is not implemented")
		}
	case "STRIP":
		st.milterHbcLog("strip", h, text)
		return h, false
	case "IGNORE":
		return h, false
	case "DUNNO", "OK":
	default:
		log.Warnf("unsupported command in %s map: %s", mapClass, value)
	}
	return h, true
}

// milterHbcExtend handles the actions only cleanup has
// (cleanup_milter_hbc_extend); done false leaves the action to the
// common ones. After a decision not to receive the message, every
// action is ignored.
func (st *state) milterHbcExtend(cmd, text, h string) (done bool) {
	if st.flags&flagFilterAll == 0 {
		return true
	}
	log := st.cfg.log
	const mapClass = "milter_header_checks"
	switch cmd {
	case "BCC":
		if st.actionArgOK(cmd, text, mapClass, false) {
			st.milterHbcLog("bcc", h, text)
			st.AddRcptPar(text, "")
		}
	case "REJECT":
		st.reason = dsnPrepend("5.7.1", "message content rejected")
		if text != "" {
			st.reason = dsnPrepend("5.7.1", text)
			if st.reason[0] != '4' && st.reason[0] != '5' {
				log.Warnf("bad DSN action in %s -- need 4.x.x or 5.x.x", text)
				st.reason = "4" + st.reason[1:]
			}
		}
		smtp := "550"
		if st.reason[0] == '4' {
			st.errs |= statDefer
			smtp = "450"
		} else {
			st.errs |= statCont
		}
		st.flags &^= flagFilterAll
		st.milterHbcLog("reject", h, st.reason)
		st.mil.hbcReply = smtp + " " + st.reason
	case "FILTER":
		if st.actionArgOK(cmd, text, mapClass, false) {
			st.filter = text
			st.milterHbcLog("filter", h, text)
		}
	case "DISCARD":
		st.milterHbcLog("discard", h, text)
		st.mil.hbcReply = "D"
		st.flags |= flagDiscard
		st.flags &^= flagFilterAll
	case "HOLD":
		if st.flags&(flagHold|flagDiscard) == 0 {
			st.milterHbcLog("hold", h, text)
			st.flags |= flagHold
		}
	case "REDIRECT":
		if st.actionArgOK(cmd, text, mapClass, false) {
			st.redirect = text
			st.milterHbcLog("redirect", h, text)
			st.flags &^= flagFilterAll
		}
	default:
		return false
	}
	return true
}

// milterHbcLog logs a milter_header_checks action
// (cleanup_milter_hbc_log).
func (st *state) milterHbcLog(action, h, text string) {
	if len(h) > 60 {
		h = h[:60]
	}
	cl := &st.mil.client
	st.cfg.log.Infof("%s: milter-header-%s: header %s from %s[%s];%s: %s", st.queueID, action, h,
		cl.name, cl.addr, st.logTail(), text)
}

// milterHbcFinish writes the FILTER and REDIRECT records that
// milter_header_checks asked for (cleanup_milter_hbc_finish), after the
// end of the file, linked from the meta record pointer.
func (st *state) milterHbcFinish() {
	if !st.outOK() || st.flags&flagDiscard != 0 || st.errs&statCont != 0 || (st.filter == "" && st.redirect == "") {
		return
	}
	newOff, err := st.seekOutEnd()
	if err != nil {
		st.milterSetError(err)
		return
	}
	if st.filter != "" {
		st.out(record.Filter, st.filter)
	}
	if st.redirect != "" {
		st.out(record.Redirect, st.redirect)
	}
	reverse := st.offset()
	st.ptr(st.mil.metaPtTarget)
	if err := st.seekOut(st.mil.metaPtOffset); err != nil {
		st.milterSetError(err)
		return
	}
	st.ptr(newOff)
	st.mil.metaPtOffset = reverse
}

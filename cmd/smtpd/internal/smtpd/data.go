package smtpd

import (
	"strings"

	"gopostfix/libglobal/record"
)

// Session states after DATA, as Postfix's SMTPD_AFTER_*.
const (
	afterData = "DATA content"
	afterBDAT = "BDAT content"
	afterEOM  = "END-OF-MESSAGE"
)

// dataCmd is the DATA command (smtpd.c data_cmd).
func (ss *Session) dataCmd(argv []token) bool {
	switch {
	case ss.bdat != nil:
		ss.fail(errProtocol, "503 5.5.1 Error: DATA after BDAT")
		return false
	case ss.rcptCount == 0 && !ss.inMail:
		ss.fail(errProtocol, "503 5.5.1 Error: need RCPT command")
		return false
	case ss.rcptCount == 0:
		ss.reply("554 5.5.1 Error: no valid recipients")
		return false
	case len(argv) != 1:
		ss.fail(errProtocol, "501 5.5.4 Syntax: DATA")
		return false
	}
	if !ss.StandAlone {
		if r := ss.checkData(); r != "" {
			ss.reply(r)
			return false
		}
	}
	if r := ss.milterData(); r != "" {
		ss.reply(r)
		return false
	}
	if ss.proxy != nil && !ss.proxyCmd(proxyWantMore, ss.cmdLine) {
		ss.reply(ss.proxy.reply)
		return false
	}
	ss.beginContent()
	ss.reply("354 End data with <CR><LF>.<CR><LF>")
	ss.where = afterData
	ss.receiveData()
	return ss.finishMessage(false)
}

// receiveData reads the message text up to the final dot, undoing dot
// stuffing and splitting long lines into continuation records
// (receive_data_message).
func (ss *Session) receiveData() {
	first := true
	prevCont := false
	prevBareLF := false
	for {
		line, complete := ss.s.getLine(ss.cfg.LineLimit, false)
		gotBareLF := ss.s.gotBareLF
		typ := record.Norm
		if !complete {
			typ = record.Cont
		}
		if gotBareLF && ss.s.bareLFMode == bareLFReject {
			ss.err |= StatBareLF
		}
		text := cstrKeep(line)
		if first {
			if strings.HasPrefix(strings.TrimLeft(text, ">"), "From ") {
				ss.out(typ, "X-Mailbox-Line: "+text)
				prevCont, prevBareLF = !complete, gotBareLF
				continue
			}
			first = false
			if len(text) > 0 && (text[0] == ' ' || text[0] == '\t') {
				ss.out(record.Norm, "")
			}
		}
		if !prevCont && strings.HasPrefix(text, ".") {
			if len(text) == 1 && ss.s.bareLFMode == bareLFNormalize && (gotBareLF || prevBareLF) {
				prevCont, prevBareLF = !complete, gotBareLF
				continue
			}
			// A filter gets the text still dot-stuffed.
			if ss.proxy == nil {
				text = text[1:]
				if text == "" {
					break
				}
			} else if len(text) == 1 {
				break
			}
		}
		if ss.err == StatOK {
			n := int64(len(text) + 2)
			if ss.cfg.MessageSize > 0 && ss.cfg.MessageSize-ss.actSize < n {
				ss.err = StatSize
				ss.log.Warnf("%s: queue file size limit exceeded", ss.queueIDOrNone())
			} else {
				ss.actSize += n
				ss.out(typ, text)
			}
		}
		prevCont, prevBareLF = !complete, gotBareLF
	}
	ss.where = afterEOM
}

// cstrKeep returns the line as a string; content keeps NUL bytes (Postfix
// passes the byte count to rec_put).
func cstrKeep(b []byte) string { return string(b) }

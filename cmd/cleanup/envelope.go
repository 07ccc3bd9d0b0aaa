package main

import (
	"strings"
	"time"

	"gopostfix/libglobal/record"
)

// attrMap is rec_attr_map: the attribute names that stand for record
// types.
var attrMap = map[string]byte{
	"dsn_orig_rcpt": record.DSNORcpt,
	"notify_flags":  record.DSNNotify,
	"envelope_id":   record.DSNEnvID,
	"ret_flags":     record.DSNRet,
	"create_time":   record.CTime,
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allPrint(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func notifyOK(v int) bool {
	const any = dsnNotifySuccess | dsnNotifyFailure | dsnNotifyDelay
	return v == dsnNotifyNever || v == v&any
}

// parseAttr splits an attribute record; ok false means the record was
// rejected or ignored (and logged).
func (st *state) parseAttr(buf string) (name, value string, mapped byte, ok bool) {
	name, value, errText := record.SplitNameVal(buf)
	if errText != "" {
		st.cfg.log.Warnf("%s: message rejected: malformed attribute: %s: %.100s", st.queueID, errText, buf)
		st.errs |= statBad
		return "", "", 0, false
	}
	if value == "" {
		st.cfg.log.Warnf("%s: spurious null attribute value for \"%s\" -- ignored", st.queueID, name)
		return "", "", 0, false
	}
	return name, value, attrMap[name], true
}

// flagsRecord handles the extra-flags record of both envelopes.
func (st *state) flagsRecord(buf string) {
	extra := int(record.Atol(buf))
	if extra&^flagMaskExtra != 0 {
		st.cfg.log.Warnf("%s: ignoring bad extra flags: 0x%x", st.queueID, extra)
	} else {
		st.flags |= extra
	}
}

// recipientRecords handles R, D, /, o, n and O, shared by the envelope
// and the extracted segment; it reports whether the record was one of
// them.
func (st *state) recipientRecords(t, mapped byte, buf, value string, extracted bool) bool {
	switch {
	case t == record.Rcpt:
		if st.sender == nil {
			st.cfg.log.Warnf("%s: message rejected: envelope recipient precedes sender", st.queueID)
			st.errs |= statBad
			return true
		}
		if st.origRcpt == nil {
			st.origRcpt = strp(buf)
		}
		st.addrRecipient(buf)
		if st.milterEmulate() {
			st.milterEmulRcpt()
		}
		st.origRcpt, st.dsnOrcpt, st.dsnNotify = nil, nil, 0
	case t == record.Done || t == record.Canceled:
		st.origRcpt, st.dsnOrcpt, st.dsnNotify = nil, nil, 0
	case mapped == record.DSNORcpt:
		if st.dsnOrcpt != nil {
			st.cfg.log.Warnf("%s: ignoring out-of-order DSN original recipient record <%.200s>", st.queueID, *st.dsnOrcpt)
		}
		st.dsnOrcpt = strp(value)
	case mapped == record.DSNNotify:
		if st.dsnNotify != 0 {
			st.cfg.log.Warnf("%s: ignoring out-of-order DSN notify record <%d>", st.queueID, st.dsnNotify)
			st.dsnNotify = 0
		}
		n := int(record.Atol(value))
		if !allDigits(value) || n == 0 || !notifyOK(n) {
			word := "DSN"
			if extracted {
				word = "dsn"
			}
			arg := buf
			if extracted {
				arg = value
			}
			st.cfg.log.Warnf("%s: ignoring malformed %s notify record <%.200s>", st.queueID, word, arg)
		} else {
			st.dsnNotify = n
			st.qmgrOpts |= n << 1
		}
	case t == record.ORcpt:
		if st.origRcpt != nil {
			arg := *st.origRcpt
			if extracted {
				arg = buf
			}
			st.cfg.log.Warnf("%s: ignoring out-of-order original recipient record <%.200s>", st.queueID, arg)
		}
		st.origRcpt = strp(buf)
	default:
		return false
	}
	return true
}

// envelope handles one record of the initial envelope
// (cleanup_envelope_process).
func (st *state) envelope(t byte, buf string) {
	c := st.cfg
	if t == record.Flags {
		st.flagsRecord(buf)
		return
	}
	if t == record.Delay {
		return
	}
	if t == record.MiltCount {
		// Not stored: the milters smtpd hands over follow on the stream.
		if n := int(record.Atol(buf)); n >= 0 {
			st.milterReceive(n)
		}
		return
	}
	var name, value string
	var mapped byte
	if t == record.Attr {
		var ok bool
		if name, value, mapped, ok = st.parseAttr(buf); !ok {
			return
		}
	} else {
		mapped, value = t, buf
	}
	if !strings.ContainsRune(record.EnvelopeTypes, rune(t)) {
		c.log.Warnf("%s: message rejected: unexpected record type %d in envelope", st.queueID, t)
		st.errs |= statBad
		return
	}
	if st.flags&flagInRcpt == 0 && strings.ContainsRune(record.EnvRecipientTypes, rune(t)) {
		if st.sender == nil {
			c.log.Warnf("%s: message rejected: missing sender envelope record", st.queueID)
			st.errs |= statBad
			return
		}
		if st.arrival == 0 {
			c.log.Warnf("%s: message rejected: missing time envelope record", st.queueID)
			st.errs |= statBad
			return
		}
		if st.flags&flagWarnSeen == 0 && *st.sender != "" && c.delayWarn > 0 {
			st.out(record.Warn, record.FormatFixed(st.arrival+c.delayWarn))
		}
		st.flags |= flagInRcpt
	}
	if st.recipientRecords(t, mapped, buf, value, false) {
		return
	}
	if t == record.Mesg {
		st.seg = segHeaders
		if st.flags&flagInRcpt != 0 {
			if st.milterOn() {
				// Room to append recipients.
				st.mil.rcptPtOffset, st.mil.rcptPtTarget = st.reservePtr()
			}
			st.flags &^= flagInRcpt
		}
		st.startMessage()
		return
	}
	if st.flags&flagInRcpt != 0 {
		st.qmgrOpts |= record.QmgrFlagMixed
	}
	switch {
	case t == record.Size:
		var f [6]int64
		if record.ScanLongs(buf, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5]) == 6 {
			st.smtputf8 = int(f[5]) & utf8Requested
		}
	case mapped == record.CTime:
	case t == record.Time:
		if st.arrival == 0 {
			st.arrival, st.arrivalUs = record.ParseTime([]byte(buf))
			st.out(t, buf)
		}
		st.outf(record.Attr, "create_time=%d", time.Now().Unix())
	case t == record.Full:
		if st.fullname == nil {
			st.fullname = strp(buf)
			st.out(t, buf)
		}
	case t == record.From:
		if st.sender != nil {
			c.log.Warnf("%s: message rejected: multiple envelope sender records", st.queueID)
			st.errs |= statBad
			return
		}
		if st.milterOn() {
			st.mil.senderPtOffset = st.offset()
		}
		after := st.addrSender(buf)
		if st.milterOn() {
			st.mil.senderPtTarget = after
		}
		if st.milterEmulate() {
			st.milterEmulMail()
		}
	case mapped == record.DSNEnvID:
		if !allPrint(value) {
			c.log.Warnf("%s: message rejected: bad DSN envelope ID record", st.queueID)
			st.errs |= statBad
			return
		}
		st.dsnEnvID = value
		st.out(t, buf)
	case mapped == record.DSNRet:
		n := record.Atol(value)
		if !allDigits(value) || n == 0 || (n != 1 && n != 2) {
			c.log.Warnf("%s: message rejected: bad DSN RET record <%.200s>", st.queueID, buf)
			st.errs |= statBad
			return
		}
		st.dsnRet = int(n)
		st.out(t, buf)
	case t == record.Warn:
		if st.flags&flagWarnSeen == 0 {
			st.flags |= flagWarnSeen
			st.out(t, buf)
		}
	case t == record.Verp:
		st.verp(buf)
	case t == record.Attr:
		st.attrRecord(name, value, buf)
	default:
		st.out(t, buf)
	}
}

func (st *state) verp(buf string) {
	if st.flags&flagVerpSeen != 0 {
		return
	}
	if st.sender == nil || *st.sender == "" {
		st.cfg.log.Warnf("%s: ignoring VERP request for null sender", st.queueID)
		return
	}
	if len(buf) != 2 || !strings.ContainsRune(st.cfg.verpFilter, rune(buf[0])) || !strings.ContainsRune(st.cfg.verpFilter, rune(buf[1])) {
		st.cfg.log.Warnf("%s: ignoring bad VERP request: \"%.100s\"", st.queueID, buf)
		return
	}
	st.flags |= flagVerpSeen
	st.verpDelims = buf
	st.out(record.Verp, buf)
}

// attrRecord handles a named attribute of the envelope.
func (st *state) attrRecord(name, value, buf string) {
	c := st.cfg
	if st.attrCount >= c.attrLimit {
		c.log.Warnf("%s: message rejected: attribute count exceeds limit %d", st.queueID, c.attrLimit)
		st.errs |= statBad
		return
	}
	switch name {
	case "rewrite_context":
		switch value {
		case "local":
			st.hdrContext = "local"
		case "remote":
			st.hdrContext = ""
			if c.remoteRwrDomain != "" {
				st.hdrContext = "remote"
			}
		default:
			c.log.Warnf("%s: message rejected: bad rewriting context: %.100s", st.queueID, value)
			st.errs |= statBad
			return
		}
	case "trace_flags":
		if !allDigits(value) {
			c.log.Warnf("%s: message rejected: bad TFLAG record <%.200s>", st.queueID, buf)
			st.errs |= statBad
			return
		}
		if st.tflags == 0 {
			st.tflags = int(record.Atol(value))
		}
	}
	if _, ok := st.attrs[name]; !ok {
		st.attrCount++
	}
	st.attrs[name] = value
	st.out(record.Attr, buf)
}

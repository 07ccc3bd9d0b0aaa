package main

import (
	"strings"

	"gopostfix/libglobal/record"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/xtext"
)

// notifyMask parses a NOTIFY= value (dsn_notify_mask): 0 when invalid.
func notifyMask(s string) int {
	bits := map[string]int{"never": dsnNotifyNever, "success": dsnNotifySuccess,
		"failure": dsnNotifyFailure, "delay": dsnNotifyDelay}
	mask := 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("\t\n\r ,", r) }) {
		b, ok := bits[strings.ToLower(w)]
		if !ok {
			return 0
		}
		mask |= b
	}
	if !notifyOK(mask) {
		return 0
	}
	return mask
}

// firstAddress converts the first address of an external-form list to
// internal form; n is the number of addresses seen (at most 2: the
// caller warns about more than one).
func firstAddress(ext string) (addr string, n int) {
	for t := tok822.Parse(ext); t != nil && n < 2; t = t.Next {
		if t.Type == tok822.Addr {
			if n == 0 {
				addr = tok822.Internalize(t.Head, 0)
			}
			n++
		}
	}
	return addr, n
}

// ChgFrom replaces the envelope sender; of the ESMTP parameters only RET
// and ENVID are kept (cleanup_chg_from).
func (st *state) ChgFrom(sender, args string) string {
	const fn = "cleanup_chg_from"
	envid, ret := "", 0
	for _, a := range strings.Fields(args) {
		switch up := strings.ToUpper(a); {
		case strings.HasPrefix(up, "RET="):
			if r := dsnRetCode(a[4:]); r == 0 {
				st.cfg.log.Warnf("Ignoring bad ESMTP parameter \"%s\" in SMFI_CHGFROM request", a)
			} else {
				st.dsnRet, ret = r, r
			}
		case strings.HasPrefix(up, "ENVID="):
			if v, ok := xtext.Unquote(a[6:]); !ok || !allPrint(v) {
				st.cfg.log.Warnf("Ignoring bad ESMTP parameter \"%s\" in SMFI_CHGFROM request", a)
			} else {
				st.dsnEnvID, envid = v, v
			}
		default:
			st.cfg.log.Warnf("Ignoring bad ESMTP parameter \"%s\" in SMFI_CHGFROM request", a)
		}
	}
	newOff, err := st.seekOutEnd()
	if err != nil {
		st.ioWarn(fn, "seek", err)
		return st.milterError(err)
	}
	// The DSN attributes of the sender come before it.
	if envid != "" {
		st.outf(record.Attr, "envelope_id=%s", envid)
	}
	if ret != 0 {
		st.outf(record.Attr, "ret_flags=%d", ret)
	}
	newSender := st.offset()
	addr, n := firstAddress(sender)
	if n > 1 {
		st.cfg.log.Warnf("%s: Milter request to add multi-sender: \"%s\"", st.queueID, sender)
	}
	after := st.addrSender(addr)
	st.ptr(st.mil.senderPtTarget)
	st.mil.senderPtTarget = after
	if err := st.seekOut(st.mil.senderPtOffset); err != nil {
		st.ioWarn(fn, "seek", err)
		return st.milterError(err)
	}
	st.ptr(newOff)
	st.mil.senderPtOffset = newSender
	return st.editResult()
}

// dsnRetFull is RET=FULL (DSN_RET_FULL); dsnRetHdrs is RET=HDRS.
const dsnRetFull = 1

// dsnRetCode parses a RET= value (dsn_ret_code).
func dsnRetCode(s string) int {
	if strings.EqualFold(s, "FULL") {
		return dsnRetFull
	}
	if strings.EqualFold(s, "HDRS") {
		return dsnRetHdrs
	}
	return 0
}

// AddRcpt adds a recipient (cleanup_add_rcpt).
func (st *state) AddRcpt(rcpt string) string { return st.AddRcptPar(rcpt, "") }

// AddRcptPar adds a recipient with NOTIFY and ORCPT parameters after the
// end of the file and links it to the recipient append pointer
// (cleanup_add_rcpt_par).
func (st *state) AddRcptPar(rcpt, args string) string {
	const fn = "cleanup_add_rcpt_par"
	newOff, err := st.seekOutEnd()
	if err != nil {
		st.ioWarn(fn, "seek", err)
		return st.milterError(err)
	}
	notify, orcpt, haveOrcpt := 0, "", false
	for _, a := range strings.Fields(args) {
		up := strings.ToUpper(a)
		switch {
		case strings.HasPrefix(up, "NOTIFY="):
			if notify != 0 {
				st.cfg.log.Warnf("%s: Bad NOTIFY parameter from Milter or header/body_checks: \"%.100s\"", st.queueID, a)
			} else if notify = notifyMask(a[7:]); notify == 0 {
				st.cfg.log.Warnf("%s: Bad NOTIFY parameter from Milter or header/body_checks: \"%.100s\"", st.queueID, a)
			}
		case strings.HasPrefix(up, "ORCPT="):
			v := a[6:]
			semi := strings.IndexByte(v, ';')
			text, ok := "", false
			if semi > 0 {
				text, ok = xtext.Unquote(v[semi+1:])
			}
			if haveOrcpt || !ok {
				st.cfg.log.Warnf("%s: Bad ORCPT parameter from Milter or header/body_checks: \"%.100s\"", st.queueID, a)
			} else {
				orcpt, haveOrcpt = v[:semi+1]+text, true
			}
		default:
			st.cfg.log.Warnf("%s: ignoring ESMTP argument from Milter or header/body_checks: \"%.100s\"", st.queueID, a)
		}
	}
	addr, n := firstAddress(rcpt)
	if n > 1 {
		st.cfg.log.Warnf("%s: Milter or header/body_checks request to add multi-recipient: \"%s\"", st.queueID, rcpt)
	}
	if n == 0 {
		st.cfg.log.Warnf("%s: ignoring attempt from Milter to add null recipient", st.queueID)
	} else {
		st.addrBccDSN(addr, orcpt, notify)
	}
	// Nothing written: a duplicate or a failure.
	if st.offset() == newOff {
		return st.editResult()
	}
	reverse := st.offset()
	st.ptr(st.mil.rcptPtTarget)
	if err := st.seekOut(st.mil.rcptPtOffset); err != nil {
		st.ioWarn(fn, "seek", err)
		return st.milterError(err)
	}
	st.ptr(newOff)
	st.mil.rcptPtOffset = reverse
	return st.editResult()
}

// DelRcpt cancels every recipient whose original address is rcpt: its
// R record becomes a / record in place (cleanup_del_rcpt).
func (st *state) DelRcpt(rcpt string) string {
	const fn = "cleanup_del_rcpt"
	addr, n := firstAddress(rcpt)
	if n > 1 {
		st.cfg.log.Warnf("%s: Milter request to drop multi-recipient: \"%s\"", st.queueID, rcpt)
	}
	rd, err := st.readFrom(0)
	if err != nil {
		st.ioWarn(fn, "seek", err)
		return st.milterError(err)
	}
	var orig, dsnOrcpt *string
	notify, count := 0, 0
	for {
		if !st.outOK() {
			return st.milterError(nil)
		}
		cur := rd.Offset()
		rec, err := rd.Next()
		if err != nil {
			st.ioWarn(fn, "read", err)
			return st.milterError(err)
		}
		if rec.Type == record.End {
			break
		}
		data := string(rec.Data)
		t := rec.Type
		switch t {
		case record.Mesg:
			// Skip the message content.
			if err := rd.SeekTo(st.xtraOffset); err != nil {
				st.ioWarn(fn, "seek", err)
				return st.milterError(err)
			}
			continue
		case record.Ptr:
			if err := rd.Goto(rec.Data); err != nil {
				st.ioWarn(fn, "seek", err)
				return st.milterError(err)
			}
			continue
		case record.Attr:
			name, value, errText := record.SplitNameVal(data)
			if errText != "" || value == "" {
				continue
			}
			if m, ok := attrMap[name]; ok {
				t, data = m, value
			}
		}
		switch t {
		case record.DSNORcpt:
			dsnOrcpt = strp(data)
		case record.DSNNotify:
			notify = 0
			if v := int(record.Atol(data)); allDigits(data) && v > 0 && notifyOK(v) {
				notify = v
			}
		case record.ORcpt:
			orig = strp(data)
		case record.Rcpt, record.Canceled, record.Done:
			if t == record.Rcpt {
				match := data
				if orig != nil {
					match = *orig
				}
				if match == addr {
					next := rd.Offset()
					if err := st.seekOut(cur); err != nil {
						st.ioWarn(fn, "seek", err)
						return st.milterError(err)
					}
					st.w.PutString(record.Canceled, data)
					if err := st.buf.Flush(); err != nil || st.w.Err() != nil {
						if err == nil {
							err = st.w.Err()
						}
						st.cfg.log.Warnf("%s: write queue file: %v", st.queueID, err)
						return st.milterError(err)
					}
					if err := rd.SeekTo(next); err != nil {
						return st.milterError(err)
					}
					count++
				}
				if st.cfg.enableOrcpt {
					delete(st.dups, dupKey(st.cfg.enableOrcpt, deref(dsnOrcpt), notify, deref(orig), addr))
				}
			}
			orig, dsnOrcpt, notify = nil, nil, 0
		}
	}
	if !st.cfg.enableOrcpt && count > 0 {
		delete(st.dups, dupKey(false, "", 0, "", addr))
	}
	st.flushEdit()
	return ""
}

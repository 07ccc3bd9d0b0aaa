package main

import (
	"strings"

	"gopostfix/libglobal/record"
)

// extracted handles one record of the extracted segment
// (cleanup_extracted_process).
func (st *state) extracted(t byte, buf string) {
	c := st.cfg
	if t == record.Flags {
		st.flagsRecord(buf)
		return
	}
	if t == record.Delay {
		return
	}
	if !strings.ContainsRune(record.ExtractTypes, rune(t)) {
		c.log.Warnf("%s: message rejected: unexpected record type %d in extracted envelope", st.queueID, t)
		st.errs |= statBad
		return
	}
	var value string
	var mapped byte
	if t == record.Attr {
		var ok bool
		if _, value, mapped, ok = st.parseAttr(buf); !ok {
			return
		}
	}
	if st.flags&flagInRcpt == 0 && strings.ContainsRune(record.ExtRecipientTypes, rune(t)) {
		if st.filter != "" {
			st.out(record.Filter, st.filter)
		}
		if st.redirect != "" {
			st.out(record.Redirect, st.redirect)
		}
		if enc, ok := st.attrs["encoding"]; ok {
			st.outf(record.Attr, "encoding=%s", enc)
		}
		st.flags |= flagInRcpt
		if st.milterOn() {
			// Room to append meta records.
			st.mil.metaPtOffset, st.mil.metaPtTarget = st.reservePtr()
		}
	}
	if st.recipientRecords(t, mapped, buf, value, true) {
		return
	}
	if t == record.End {
		if st.milterOn() && st.mil.rcptPtOffset < 0 {
			// Room to append recipients.
			st.mil.rcptPtOffset, st.mil.rcptPtTarget = st.reservePtr()
		}
		st.flags &^= flagInRcpt
		st.flags |= flagEndSeen
		st.extractedFinish()
		return
	}
	if st.flags&flagInRcpt != 0 {
		st.qmgrOpts |= record.QmgrFlagMixed
	}
	st.out(t, buf)
}

// extractedFinish adds always_bcc and BCC action recipients and ends the
// file (cleanup_extracted_finish).
func (st *state) extractedFinish() {
	if st.flags&flagBccOK != 0 && st.recip != nil && st.cfg.alwaysBcc != "" {
		st.addrBcc(st.cfg.alwaysBcc)
	}
	if st.outOK() && st.recip != nil {
		for _, b := range st.hbcRcpt {
			st.addrBcc(b)
		}
	}
	st.hbcRcpt = nil
	st.out(record.End, "")
}

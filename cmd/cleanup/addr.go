package main

import (
	"strings"

	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/tok822"
)

// rewriteInternal rewrites an internal-form address through the rewrite
// service (cleanup_rewrite_internal). A service failure is a temporary
// error of the message.
func (st *state) rewriteInternal(ctx, addr string) string {
	out, err := st.cfg.rw.Rewrite(ctx, tok822.QuoteLocal(addr, tok822.QuoteDefault))
	if err != nil {
		st.cfg.log.Warnf("%s: address rewriting service failure: %v", st.queueID, err)
		st.errs |= statWrite
		return addr
	}
	return tok822.UnquoteLocal(out)
}

// rewriteExternal rewrites an external-form address (rewrite_clnt).
func (st *state) rewriteExternal(ctx, addr string) string {
	out, err := st.cfg.rw.Rewrite(ctx, addr)
	if err != nil {
		st.cfg.log.Warnf("%s: address rewriting service failure: %v", st.queueID, err)
		st.errs |= statWrite
		return addr
	}
	return out
}

// canonicalize applies the canonical maps and masquerading of one
// address class to an internal-form address.
func (st *state) canonicalize(addr string, class int) string {
	c := st.cfg
	if st.flags&flagMapOK == 0 {
		return addr
	}
	specific, specificFl := c.rcptCanon, c.rcptCanonFl
	if class&(classEnvFrom|classHdrFrom) != 0 {
		specific, specificFl = c.sendCanon, c.sendCanonFl
	}
	if specific != nil && specificFl&class != 0 {
		addr = st.map11Internal(addr, specific, c.extProp&propCanonical != 0)
	}
	if c.commCanon != nil && c.commCanonFl&class != 0 {
		addr = st.map11Internal(addr, c.commCanon, c.extProp&propCanonical != 0)
	}
	if len(c.masqDomains) > 0 && c.masqFlags&class != 0 {
		addr = st.masquerade(addr)
	}
	return addr
}

// addrSender processes the envelope sender (cleanup_addr_sender). With
// Milters it pads a short sender record so that a pointer record fits
// over it, and returns the offset of the record after it (else 0).
func (st *state) addrSender(buf string) int64 {
	clean := st.rewriteInternal(rewrite.ContextLocal, buf)
	if len(clean) >= len("MAILER-DAEMON@") && strings.EqualFold(clean[:len("MAILER-DAEMON@")], "MAILER-DAEMON@") {
		if strings.EqualFold(clean, st.rewriteInternal(rewrite.ContextLocal, "MAILER-DAEMON")) {
			clean = ""
		}
	}
	clean = st.canonicalize(clean, classEnvFrom)
	if st.cfg.smtputf8 && clean != "" && !isASCII(clean) {
		st.smtputf8 |= utf8Sender
		if st.flags&flagAutoUTF8 != 0 {
			st.smtputf8 |= utf8Requested
		}
	}
	st.out('S', clean)
	st.sender = strp(clean)
	var after int64
	if st.milterOn() {
		if len(clean) < ptrPayload {
			st.pad(record.Ptr, ptrPayload-len(clean))
		}
		after = st.offset()
	}
	if st.flags&flagBccOK != 0 && clean != "" && st.cfg.sendBcc != nil {
		st.bccLookup(st.cfg.sendBcc, clean)
	}
	return after
}

func (st *state) bccLookup(m *maps.Maps, addr string) {
	res, err := m.MailAddrFind(st.cfg.addrEnv, addr, maps.FindDefault)
	if err != nil {
		st.cfg.log.Warnf("%s: %s map lookup problem -- message not accepted, try again later", st.queueID, m.Title)
		st.errs |= statWrite
		return
	}
	if res.Found {
		st.addrBcc(tok822.UnquoteLocal(res.Value))
	}
}

// addrRecipient processes one recipient (cleanup_addr_recipient).
func (st *state) addrRecipient(buf string) {
	if buf == "" {
		buf = st.cfg.emptyAddr
	}
	clean := st.rewriteInternal(rewrite.ContextLocal, buf)
	clean = st.canonicalize(clean, classEnvRcpt)
	if st.cfg.smtputf8 && clean != "" && !isASCII(clean) && st.flags&flagAutoUTF8 != 0 {
		st.smtputf8 |= utf8Requested
	}
	if st.dsnOrcpt == nil && clean != "" {
		typ := "rfc822"
		if !isASCII(clean) && st.smtputf8&utf8Requested != 0 {
			typ = "utf-8"
		}
		st.dsnOrcpt = strp(typ + ";" + clean)
	}
	st.outRecipient(deref(st.dsnOrcpt), st.dsnNotify, deref(st.origRcpt), clean)
	st.recip = strp(clean)
	if st.flags&flagBccOK != 0 && clean != "" && st.cfg.rcptBcc != nil {
		st.bccLookup(st.cfg.rcptBcc, clean)
	}
}

// addrBcc adds a recipient of always_bcc, the bcc maps or a BCC action
// (cleanup_addr_bcc).
func (st *state) addrBcc(bcc string) { st.addrBccDSN(bcc, "", dsnNotifyNever) }

// addrBccDSN adds a recipient with DSN information, one that a Milter
// adds included (cleanup_addr_bcc_dsn).
func (st *state) addrBccDSN(bcc, dsnOrcpt string, notify int) {
	clean := st.rewriteInternal(rewrite.ContextLocal, bcc)
	clean = st.canonicalize(clean, classEnvRcpt)
	if st.cfg.smtputf8 && clean != "" && !isASCII(clean) && st.flags&flagAutoUTF8 != 0 {
		st.smtputf8 |= utf8Requested
	}
	st.outRecipient(dsnOrcpt, notify, clean, clean)
}

// dupKey is the duplicate filter's key of a recipient (been_here's
// "%s\n%d\n%s\n%s" with enable_original_recipient, else the address).
func dupKey(withOrcpt bool, dsnOrcpt string, notify int, orcpt, rcpt string) string {
	if withOrcpt {
		rcpt = dsnOrcpt + "\n" + itoa(notify) + "\n" + orcpt + "\n" + rcpt
	}
	return strings.ToLower(rcpt)
}

// outRecipient writes a recipient after virtual alias expansion and
// duplicate elimination (cleanup_out_recipient).
func (st *state) outRecipient(dsnOrcpt string, notify int, orcpt, recip string) {
	list := []string{recip}
	if st.flags&flagMapOK != 0 && st.cfg.virtAlias != nil {
		list = st.map1n(recip)
		if notify&dsnNotifySuccess != 0 && (len(list) > 1 || list[0] != recip) {
			if notify == dsnNotifySuccess {
				notify = dsnNotifyNever
			} else {
				notify &^= dsnNotifySuccess
			}
		}
	}
	for _, r := range list {
		key := dupKey(st.cfg.enableOrcpt, dsnOrcpt, notify, orcpt, r)
		if st.dups[key] {
			continue
		}
		if len(st.dups) < st.cfg.dupLimit || st.cfg.dupLimit == 0 {
			st.dups[key] = true
		}
		if notify != 0 {
			st.outf('A', "notify_flags=%d", notify)
		}
		if dsnOrcpt != "" {
			st.outf('A', "dsn_orig_rcpt=%s", dsnOrcpt)
		}
		st.out('O', orcpt)
		st.out('R', r)
		st.rcptCount++
	}
}

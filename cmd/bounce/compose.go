package main

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gopostfix/libglobal/bouncelog"
	"gopostfix/libglobal/bouncetmpl"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/tok822"
)

// smtputf8Requested is SMTPUTF8_FLAG_REQUESTED.
const smtputf8Requested = 1 << 0

// notice writes the text of one notification as content records
// (post_mail_fputs); the first write error sticks in w.
type notice struct {
	w *record.Writer
}

func (n *notice) line(s string)                    { n.w.PutString(record.Norm, s) }
func (n *notice) linef(format string, args ...any) { n.line(fmt.Sprintf(format, args...)) }
func (n *notice) err() error                       { return n.w.Err() }
func (n *notice) raw(t byte, data []byte)          { n.w.Put(t, data) }
func not7bit(b *info) bool                         { return b.mimeEnc != "" && !strings.EqualFold(b.mimeEnc, "7bit") }
func isFailure(t *bouncetmpl.Template) bool        { return t.Class() == bouncetmpl.ClassFailure }
func isDelay(t *bouncetmpl.Template) bool          { return t.Class() == bouncetmpl.ClassDelay }
func wrapInto(n *notice, format string, args ...any) {
	lineWrap(fmt.Sprintf(format, args...), 79, 4, n.line)
}
func utf8Addr(b *info, addr string) bool { return b.smtputf8 != 0 && isUTF8Address(addr) }
func rfc822Or(b *info, addr string) string {
	return map[bool]string{true: "utf-8", false: "rfc822"}[utf8Addr(b, addr)]
}
func headersOnly(ret int) bool { return ret == deliver.RetHdrs }

// header writes the notice headers and the start of the Notification
// part (bounce_header): template From/Subject/To, threading headers,
// Auto-Submitted, MIME headers.
func (b *info) header(n *notice, rcpt string, postmasterCopy bool) error {
	for _, h := range b.tmpl.Headers(tok822.QuoteLocal(rcpt, tok822.QuoteDefault), postmasterCopy) {
		n.line(h)
	}
	if b.origMsgID != "" {
		n.linef("References: %s", b.origMsgID)
		n.linef("In-Reply-To: %s", b.origMsgID)
	}
	if postmasterCopy {
		n.line("Auto-Submitted: auto-generated")
	} else {
		n.line("Auto-Submitted: auto-replied")
	}
	n.line("MIME-Version: 1.0")
	n.linef("Content-Type: %s; report-type=%s;", "multipart/report", "delivery-status")
	n.linef("\tboundary=\"%s\"", b.boundary)
	if b.mimeEnc != "" {
		enc := b.mimeEnc
		if strings.EqualFold(enc, "7bit") {
			enc = b.tmpl.Encoding()
		}
		n.linef("Content-Transfer-Encoding: %s", enc)
	}
	n.line("")
	n.line("This is a MIME-encapsulated message.")
	n.line("")
	n.linef("--%s", b.boundary)
	n.linef("Content-Description: %s", "Notification")
	charset := b.tmpl.Charset()
	if strings.EqualFold(charset, "us-ascii") {
		charset = "us-ascii"
		if not7bit(b) {
			charset = "utf-8"
		}
	}
	n.linef("Content-Type: %s; charset=%s", "text/plain", charset)
	if not7bit(b) {
		n.linef("Content-Transfer-Encoding: %s", b.mimeEnc)
	}
	n.line("")
	return n.err()
}

// boilerplate writes the expanded template text; an expansion error is
// fatal.
func (b *info) boilerplate(n *notice) error {
	lines, err := b.tmpl.Expand()
	if err != nil {
		b.d.s.Log.Fatalf("%v", err)
	}
	for _, l := range lines {
		n.line(l)
	}
	return n.err()
}

// recipientLog writes one human-readable recipient entry.
func (b *info) recipientLog(n *notice, e bouncelog.Entry) error {
	n.line("")
	if e.OrigRecipient != "" {
		wrapInto(n, "<%s> (expanded from <%s>): %s", e.Recipient, e.OrigRecipient, e.Reason)
	} else {
		wrapInto(n, "<%s>: %s", e.Recipient, e.Reason)
	}
	return n.err()
}

// diagnosticLog writes the human-readable entries that pass filter and
// returns how many there were (-1 on a write error). Without a logfile a
// failure notice says so and counts as one entry, so that it is sent.
func (b *info) diagnosticLog(n *notice, filter int) int {
	list, ok := b.entries(filter)
	if !ok {
		if isFailure(b.tmpl) {
			n.line("")
			n.line("\t--- Delivery report unavailable ---")
			return 1
		}
		return 0
	}
	for _, e := range list {
		if b.recipientLog(n, e) != nil {
			break
		}
	}
	if n.err() != nil {
		return -1
	}
	return len(list)
}

// headerDSN starts the delivery-status part with the per-message fields.
func (b *info) headerDSN(n *notice) error {
	n.line("")
	n.linef("--%s", b.boundary)
	n.linef("Content-Description: %s", "Delivery report")
	global := ""
	if b.smtputf8&smtputf8Requested != 0 {
		global = "global-"
	}
	n.linef("Content-Type: message/%sdelivery-status", global)
	if not7bit(b) && b.smtputf8&smtputf8Requested != 0 {
		n.linef("Content-Transfer-Encoding: %s", b.mimeEnc)
	}
	n.line("")
	n.linef("Reporting-MTA: dns; %s", b.d.cfg.myhostname)
	if b.envID != "" {
		n.linef("Original-Envelope-Id: %s", b.envID)
	}
	n.linef("X-%s-Queue-ID: %s", b.mailName, b.queueID)
	if b.sender != "" {
		n.linef("X-%s-Sender: %s; %s", b.mailName, rfc822Or(b, b.sender), b.sender)
	}
	if b.arrival > 0 {
		n.linef("Arrival-Date: %s", mailDate(b.arrival))
	}
	return n.err()
}

// recipientDSN writes the per-recipient fields of one entry.
func (b *info) recipientDSN(n *notice, e bouncelog.Entry) error {
	n.line("")
	n.linef("Final-Recipient: %s; %s", rfc822Or(b, e.Recipient), e.Recipient)
	if e.DSNOrcpt != "" {
		n.linef("Original-Recipient: %s", e.DSNOrcpt)
	} else if e.OrigRecipient != "" {
		n.linef("Original-Recipient: %s; %s", rfc822Or(b, e.OrigRecipient), e.OrigRecipient)
	}
	action := e.Action
	if isFailure(b.tmpl) {
		action = "failed"
	}
	n.linef("Action: %s", action)
	n.linef("Status: %s", e.Status)
	if e.MTAType != "" && e.MTAName != "" {
		wrapInto(n, "Remote-MTA: %s; %s", e.MTAType, e.MTAName)
	}
	if e.DiagType != "" && e.DiagText != "" {
		wrapInto(n, "Diagnostic-Code: %s; %s", e.DiagType, e.DiagText)
	} else {
		wrapInto(n, "Diagnostic-Code: X-%s; %s", b.mailName, e.Reason)
	}
	if isDelay(b.tmpl) {
		n.linef("Will-Retry-Until: %s", mailDate(b.arrival+int64(b.d.cfg.maxQueueTime)))
	}
	return n.err()
}

// diagnosticDSN writes the machine-readable entries; the count is as for
// diagnosticLog.
func (b *info) diagnosticDSN(n *notice, filter int) int {
	list, ok := b.entries(filter)
	if !ok {
		if isFailure(b.tmpl) {
			return 1
		}
		return 0
	}
	for _, e := range list {
		if b.recipientDSN(n, e) != nil {
			break
		}
	}
	if n.err() != nil {
		return -1
	}
	return len(list)
}

// original returns the message, or its headers (bounce_original), and
// ends the MIME structure. Messages over bounce_size_limit are returned
// as headers only.
func (b *info) original(n *notice, ret int) error {
	if b.d.cfg.bounceLimit > 0 && b.orig != nil && (b.msgSize <= 0 || b.msgSize > int64(b.d.cfg.bounceLimit)) {
		ret = deliver.RetHdrs
	}
	n.line("")
	n.linef("--%s", b.boundary)
	undelivered := ""
	if isFailure(b.tmpl) || isDelay(b.tmpl) {
		undelivered = "Undelivered "
	}
	what := "Message"
	if headersOnly(ret) {
		what = "Message Headers"
	}
	n.linef("Content-Description: %s%s", undelivered, what)
	switch {
	case b.smtputf8&smtputf8Requested != 0 && headersOnly(ret):
		n.line("Content-Type: message/global-headers")
	case b.smtputf8&smtputf8Requested != 0:
		n.line("Content-Type: message/global")
	case headersOnly(ret):
		n.line("Content-Type: text/rfc822-headers")
	default:
		n.line("Content-Type: message/rfc822")
	}
	if not7bit(b) {
		n.linef("Content-Transfer-Encoding: %s", b.mimeEnc)
	}
	n.line("")
	if !b.seekContent() {
		n.line("\t--- Undelivered message unavailable ---")
		return n.err()
	}
	// cleanup removed any Return-Path:; header checks like to see one.
	n.linef("Return-Path: <%s>", b.sender)
	rd := record.NewReader(b.orig, b.origPath, record.Default, 0)
	for n.err() == nil {
		rec, err := rd.Next()
		if err != nil {
			warnDamaged(b.d.s.Log, err)
			break
		}
		if rec.Type != record.Norm && rec.Type != record.Cont {
			break
		}
		if headersOnly(ret) && !isHeaderLine(rec.Data) {
			break
		}
		n.raw(rec.Type, rec.Data)
	}
	n.line("")
	n.linef("--%s--", b.boundary)
	return n.err()
}

// isHeaderLine: a header or the continuation of one.
func isHeaderLine(s []byte) bool {
	return len(s) > 0 && (s[0] == ' ' || s[0] == '\t') || record.IsHeader(s)
}

// isUTF8Address: non-empty, not ASCII, valid UTF-8.
func isUTF8Address(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

// mailDate is RFC 2822 date text in local time (mail_date).
func mailDate(t int64) string { return headers.MailDate(time.Unix(t, 0)) }

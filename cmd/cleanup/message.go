package main

import (
	"strings"
	"time"

	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/mime"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/tok822"
)

// startMessage writes the content marker and sets up the MIME parser
// (cleanup_message).
func (st *state) startMessage() {
	st.out(record.Mesg, "")
	st.dataOffset = st.offset()
	c := st.cfg
	if st.milterOn() && c.headerLimit > milterHeaderLimit {
		// A header must fit in a default libmilter request. As in
		// Postfix, the lower limit stays for the life of the process.
		c.headerLimit, c.mimeLimits.HeaderSize = milterHeaderLimit, milterHeaderLimit
	}
	opts := 0
	switch {
	case c.disableMIME:
		opts = mime.OptDisableMIME
	case st.flags&flagFilter != 0:
		// Content checks are off when bouncing or forwarding mail.
		if c.strict8BitMIME || c.strict7BitHdrs {
			opts |= mime.OptReport8BitInHeader
		}
		if c.strict8BitMIME || c.strict8BitBody {
			opts |= mime.OptReport8BitIn7BitBody
		}
		if c.strictEncoding {
			opts |= mime.OptReportEncodingDomain
		}
		if c.strict8BitMIME || c.strict7BitHdrs || c.strict8BitBody || c.strictEncoding || c.anyHeaderChecks {
			opts |= mime.OptReportNesting
		}
	}
	st.mime = mime.New(opts, c.mimeLimits, c.hdrs, mime.Handler{
		Header:    func(class int, o *headers.Opts, text string, _ int64) { st.header(class, o, text) },
		HeaderEnd: st.headerDone,
		Body:      st.body,
		Error:     st.mimeError,
	})
}

// content handles one record of the message content
// (cleanup_message_headerbody): text records go through the MIME
// parser, which calls header, headerDone and body; the end of the
// content turns MIME errors into a content rejection.
func (st *state) content(t byte, buf string) {
	if st.cfg.maskStrayCRLF {
		buf = maskCRLF(buf)
	}
	switch t {
	case record.Norm, record.Cont:
		st.mimeErrs = st.mime.Update(t, buf)
	case record.Xtra:
		st.mimeErrs = st.mime.Update(t, buf)
		if st.milterOn() {
			// Room to replace the body.
			st.ptr(0)
		}
		// Header truncation after the primary headers does not matter.
		st.mimeErrs &^= mime.ErrTruncHeader
		if st.mimeErrs != 0 && st.reason == "" {
			st.errs |= statCont
			d := mime.ErrorDetail(st.mimeErrs)
			st.reason = dsn.Prepend(d.DSN, d.Text)
		}
		st.xtraOffset = st.offset()
		st.contLength = st.xtraOffset - st.dataOffset
		st.seg = segExtracted
		st.out(record.Xtra, "")
	default:
		st.cfg.log.Warnf("cleanup_message_headerbody: message rejected: unexpected record type %d in message content", t)
		st.errs |= statBad
	}
}

// maskCRLF replaces each CR and LF byte with a space, byte by byte as
// Postfix does (other bytes, 8-bit or not valid UTF-8, stay as they are);
// text without either is returned without a copy.
func maskCRLF(s string) string {
	if strings.IndexByte(s, '\r') < 0 && strings.IndexByte(s, '\n') < 0 {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c == '\r' || c == '\n' {
			b[i] = ' '
		}
	}
	return string(b)
}

// mimeError logs a MIME problem the strict_* checks reject
// (cleanup_mime_error_callback); header truncation is not logged.
func (st *state) mimeError(code int, text string) {
	if code&^mime.ErrTruncHeader == 0 {
		return
	}
	origin := "unknown"
	if o, ok := st.attrs["log_message_origin"]; ok {
		origin = o
	}
	if len(text) > 100 {
		text = text[:100]
	}
	rcpt := "unknown"
	if st.recip != nil {
		rcpt = *st.recip
	}
	st.cfg.log.Infof("%s: reject: mime-error %s: %s from %s; from=<%s> to=<%s>", st.queueID,
		mime.ErrorDetail(code).Text, text, origin, deref(st.sender), rcpt)
}

// body handles one body record (cleanup_body_callback); offset is the
// record's position in its body part.
func (st *state) body(t byte, buf string, offset int64) {
	if !st.outOK() {
		return
	}
	if st.flags&flagFilter != 0 && st.cfg.bodyChecks != nil && (st.cfg.bodyCheckLen == 0 || offset < st.cfg.bodyCheckLen) {
		value, found, err := st.cfg.bodyChecks.Find(buf, false)
		if err != nil {
			st.cfg.log.Warnf("%s: %s map lookup problem -- message not accepted, try again later", st.queueID, st.cfg.bodyChecks.Title)
			st.errs |= statWrite
		} else if found {
			result, drop := st.act("body", buf, value, "body_checks")
			if drop {
				return
			}
			buf = result
		}
	}
	st.out(t, buf)
}

// header handles one complete header of any class
// (cleanup_header_callback): MIME headers are checked with
// mime_header_checks wherever they are, the headers of attached
// messages with nested_header_checks, the others with header_checks;
// only primary headers are then processed further.
func (st *state) header(class int, opts *headers.Opts, h string) {
	c := st.cfg
	if opts != nil && opts.Flags&headers.OptMIME != 0 {
		class = mime.HdrMultipart
	}
	if opts != nil && opts.Type == headers.Received {
		st.hopCount++
	}
	checks, title := c.headerChecks, "header_checks"
	switch class {
	case mime.HdrMultipart:
		checks, title = c.mimeHdrChecks, "mime_header_checks"
	case mime.HdrNested:
		checks, title = c.nestHdrChecks, "nested_header_checks"
	}
	if st.flags&flagFilter != 0 && checks != nil {
		value, found, err := checks.Find(h, false)
		if err != nil {
			c.log.Warnf("%s: %s map lookup problem -- message not accepted, try again later", st.queueID, checks.Title)
			st.errs |= statWrite
		} else if found {
			result, drop := st.act("header", h, value, title)
			if drop {
				return
			}
			if result != h {
				h = result
				opts = c.hdrs.Find(h)
			}
		}
	}
	if opts == nil {
		st.outHeader(h)
		return
	}
	value := strings.TrimLeft(h[min(len(opts.Name)+1, len(h)):], " \t\r\n\v\f")
	if c.auto8bitHdr && opts.Type == headers.ContentTransferEncoding {
		if strings.EqualFold(value, "8bit") || strings.EqualFold(value, "binary") {
			st.attrs["encoding"] = "8bit"
		}
	}
	// Attachment and body part headers are copied without more ado.
	if class != mime.HdrPrimary {
		st.outHeader(h)
		return
	}
	st.seen |= 1 << opts.Type
	switch opts.Type {
	case headers.MessageID:
		c.log.Infof("%s: message-id=%s", st.queueID, value)
	case headers.ResentMessageID:
		c.log.Infof("%s: resent-message-id=%s", st.queueID, value)
	case headers.Received:
		if st.hopCount >= c.hopLimit {
			c.log.Warnf("%s: message rejected: hopcount exceeded", st.queueID)
			st.errs |= statHops
		}
		// Our own Received: header, hidden from the Milters' header
		// indexes.
		if st.hopCount == 1 {
			st.mil.autoHdrs = append(st.mil.autoHdrs, h)
		}
	}
	if !st.outOK() {
		return
	}
	if opts.Flags&headers.OptRR != 0 {
		st.resent = "Resent-"
	}
	switch {
	case opts.Flags&headers.OptSender != 0 && st.hdrContext != "":
		st.rewriteHeader(opts, h, classHdrFrom)
	case opts.Flags&headers.OptRecip != 0 && st.hdrContext != "":
		st.rewriteHeader(opts, h, classHdrRcpt)
	case opts.Flags&headers.OptDrop == 0:
		st.outHeader(h)
	}
}

// rewriteHeader rewrites the addresses of a sender or recipient header
// and regenerates it only when something changed
// (cleanup_rewrite_sender, cleanup_rewrite_recip).
func (st *state) rewriteHeader(opts *headers.Opts, h string, class int) {
	tree := tok822.ParseLimit(h[min(len(opts.Name)+1, len(h)):], st.cfg.tokenLimit)
	changed := false
	for _, a := range tok822.Grep(tree, tok822.Addr) {
		before := tok822.Externalize(a.Head, 0, nil)
		after := before
		if a.Head != nil {
			after = st.rewriteExternal(st.hdrContext, before)
		}
		if st.flags&flagMapOK != 0 {
			after = st.canonicalizeExternal(after, class)
		}
		if after != before {
			changed = true
			head, tail := tok822.Scan(after)
			tok822.SetMembers(a, head, tail)
		}
	}
	if opts.Flags&headers.OptDrop != 0 {
		return
	}
	if changed {
		h = h[:len(opts.Name)] + ": " + tok822.Externalize(tree, tok822.Line|tok822.Truncate, st.cfg.log)
		st.foldHeader(h)
		return
	}
	st.outHeader(h)
}

// canonicalizeExternal applies canonical maps and masquerading to an
// external-form header address.
func (st *state) canonicalizeExternal(addr string, class int) string {
	c := st.cfg
	specific, specificFl := c.rcptCanon, c.rcptCanonFl
	if class == classHdrFrom {
		specific, specificFl = c.sendCanon, c.sendCanonFl
	}
	if specific != nil && specificFl&class != 0 {
		addr, _ = st.map11External(addr, specific, c.extProp&propCanonical != 0)
	}
	if c.commCanon != nil && c.commCanonFl&class != 0 {
		addr, _ = st.map11External(addr, c.commCanon, c.extProp&propCanonical != 0)
	}
	if len(c.masqDomains) > 0 && c.masqFlags&class != 0 {
		addr = st.masquerade(addr)
	}
	return addr
}

// headerDone appends the missing headers at the end of the primary
// header block (cleanup_header_done_callback).
func (st *state) headerDone() {
	c := st.cfg
	if !st.outOK() {
		return
	}
	if st.hopCount < 1 {
		c.log.Warnf("%s: message rejected: no Received: header", st.queueID)
		st.errs |= statBad
		return
	}
	add := st.hdrContext != "" || c.alwaysAddHdrs
	msgID, date, from := headers.MessageID, headers.Date, headers.From
	if st.resent != "" {
		msgID, date, from = headers.ResentMessageID, headers.ResentDate, headers.ResentFrom
	}
	if add && st.seen&(1<<msgID) == 0 {
		id := st.queueID + "@" + c.myhostname
		if !c.longIDs {
			id = st.ctime.UTC().Format("20060102150405") + "." + id
		}
		st.outHeader(st.resent + "Message-Id: <" + id + ">")
		prefix := ""
		if st.resent != "" {
			prefix = "resent-"
		}
		c.log.Infof("%s: %smessage-id=<%s>", st.queueID, prefix, id)
		st.seen |= 1 << msgID
	}
	if st.seen&(1<<headers.MessageID) == 0 {
		c.log.Infof("%s: message-id=<>", st.queueID)
	}
	if add && st.seen&(1<<date) == 0 {
		st.outHeader(st.resent + "Date: " + headers.MailDate(time.Unix(st.arrival, 0)))
	}
	if add && st.seen&(1<<from) == 0 {
		st.outHeader(st.fromHeader())
	}
	const visible = 1<<headers.To | 1<<headers.ResentTo | 1<<headers.Cc | 1<<headers.ResentCc
	if add && st.seen&visible == 0 && c.rcptWithheld != "" {
		if !headers.IsHeader(c.rcptWithheld) {
			c.log.Warnf("bad undisclosed_recipients_header header text \"%s\" -- need \"headername: headervalue\"", c.rcptWithheld)
		} else {
			st.out(record.Norm, c.rcptWithheld)
		}
	}
	if st.milterOn() {
		// Room to append headers; the body starts after it.
		st.mil.hdrPtOffset, st.mil.hdrPtTarget = st.reservePtr()
		st.mil.bodyOffset = st.mil.hdrPtTarget
	}
}

// fromHeader builds the From: header of a message without one.
func (st *state) fromHeader() string {
	sender := deref(st.sender)
	addr := "MAILER-DAEMON"
	if sender != "" {
		addr = sender
	}
	addr = tok822.QuoteLocal(addr, tok822.QuoteDefault)
	name := deref(st.fullname)
	if sender == "" || name == "" {
		return st.resent + "From: " + addr
	}
	name = strings.NewReplacer("\r", " ", "\n", " ").Replace(name)
	if st.cfg.fromFormatStd {
		var tok *tok822.Token
		if !strings.ContainsAny(name, "%!()<>@,;:\\\".[]") {
			tok, _ = tok822.ScanLimit(name, st.cfg.tokenLimit)
		} else {
			tok = tok822.New(tok822.QString, name)
		}
		out := st.resent + "From: "
		if tok != nil {
			out += tok822.Externalize(tok, 0, nil) + " "
		}
		return out + "<" + addr + ">"
	}
	tree := tok822.Parse("(" + name + ")")
	return st.resent + "From: " + addr + " " + tok822.Externalize(tree, 0, nil)
}

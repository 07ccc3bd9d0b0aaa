package main

import (
	"strings"
	"time"

	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/tok822"
)

// startMessage writes the content marker (cleanup_message).
func (st *state) startMessage() {
	st.out(record.Mesg, "")
	st.dataOffset = st.offset()
}

// content handles one record of the message content
// (cleanup_message_headerbody with the primary-header part of
// mime_state): header lines are reassembled with their continuation
// lines and processed one header at a time; the first line that is not
// a header ends the header block.
func (st *state) content(t byte, buf string) {
	if st.cfg.maskStrayCRLF {
		buf = strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return ' '
			}
			return r
		}, buf)
	}
	switch t {
	case record.Norm, record.Cont:
	case record.Xtra:
		if st.prevCont {
			// A last line without newline is terminated (mime_state).
			st.content(record.Norm, "")
		}
		if st.seg == segHeaders {
			st.flushHeader()
			st.headerDone()
		}
		st.xtraOffset = st.offset()
		st.seg = segExtracted
		st.out(record.Xtra, "")
		return
	default:
		st.cfg.log.Warnf("cleanup_message_headerbody: message rejected: unexpected record type %d in message content", t)
		st.errs |= statBad
		return
	}
	defer func() { st.prevCont = t == record.Cont }()
	if st.seg == segHeaders {
		if st.hdrActive && st.hdrCont {
			st.appendHeader(buf)
			st.hdrCont = t == record.Cont
			return
		}
		if st.hdrActive && buf != "" && (buf[0] == ' ' || buf[0] == '\t') {
			st.appendHeader("\n" + buf)
			st.hdrCont = t == record.Cont
			return
		}
		st.flushHeader()
		if headers.IsHeader(buf) {
			st.hdrActive = true
			st.hdrBuf = st.hdrBuf[:0]
			st.appendHeader(buf)
			st.hdrCont = t == record.Cont
			return
		}
		st.headerDone()
		st.seg = segBody
		st.bodyOff = 0
		if buf != "" {
			// "Garbage" ends the primary headers: the separator is added.
			st.body(record.Norm, "")
		}
	}
	st.body(t, buf)
}

// appendHeader adds text to the header being collected, up to
// header_size_limit.
func (st *state) appendHeader(s string) {
	if room := st.cfg.headerLimit - len(st.hdrBuf); room > 0 {
		if len(s) > room {
			s = s[:room]
		}
		st.hdrBuf = append(st.hdrBuf, s...)
	}
}

// flushHeader processes the collected header, if any.
func (st *state) flushHeader() {
	if !st.hdrActive {
		return
	}
	st.hdrActive = false
	st.header(string(st.hdrBuf))
}

// body handles one body line (cleanup_body_callback).
func (st *state) body(t byte, buf string) {
	off := st.bodyOff
	st.bodyOff += int64(len(buf))
	if t == record.Norm {
		st.bodyOff++
	}
	if !st.outOK() {
		return
	}
	if st.flags&flagFilter != 0 && st.cfg.bodyChecks != nil && (st.cfg.bodyCheckLen == 0 || off < st.cfg.bodyCheckLen) {
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

// header handles one complete primary header (cleanup_header_callback).
func (st *state) header(h string) {
	c := st.cfg
	opts := c.hdrs.Find(h)
	if opts != nil && opts.Type == headers.Received {
		st.hopCount++
	}
	if st.flags&flagFilter != 0 && c.headerChecks != nil {
		value, found, err := c.headerChecks.Find(h, false)
		if err != nil {
			c.log.Warnf("%s: %s map lookup problem -- message not accepted, try again later", st.queueID, c.headerChecks.Title)
			st.errs |= statWrite
		} else if found {
			result, drop := st.act("header", h, value, "header_checks")
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

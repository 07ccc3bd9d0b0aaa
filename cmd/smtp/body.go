package main

import (
	"bufio"
	"errors"
	"io"
	"strings"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/record"
)

// downgrading is SMTP_MIME_DOWNGRADE: 8-bit mail to a server without
// 8BITMIME is converted to quoted-printable.
func (st *state) downgrading() bool {
	return !st.ag.cfg.disableMIMEConv && st.sess.features&feat8BitMIME == 0 && st.req.Encoding != "7bit"
}

// sendBody sends the message content after the DATA reply. done means
// the transaction ended (res is the result); err is a stream exception.
func (st *state) sendBody() (res int, done bool, err error) {
	s, req := st.sess, st.req
	if _, err := st.src.Seek(req.DataOffset, io.SeekStart); err != nil {
		st.ag.fatal("seek queue file: %v", err)
	}
	rd := record.NewReader(bufio.NewReader(st.src), st.src.Name(), 0, 0)
	mime := st.newMime()
	st.spaceLeft = st.ag.cfg.smtpLineLimit
	st.loggedLen = false
	if st.ag.cliFlags&cliAddHeaders != 0 {
		flags, err := st.addHeaders(mime)
		if err != nil {
			return 0, false, err
		}
		if flags != 0 {
			return st.mimeFail(), true, nil
		}
	}
	prev := byte(0)
	var rec record.Record
	for {
		var rerr error
		rec, rerr = rd.Next()
		if rerr != nil {
			if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
				rec.Type = 0
				break
			}
			var fe *record.FormatError
			if errors.As(rerr, &fe) {
				st.ag.log.Warnf("%v", rerr)
				rec.Type = 0
				break
			}
			st.ag.fatal("queue file read error")
		}
		if rec.Type != record.Norm && rec.Type != record.Cont {
			break
		}
		if mime != nil {
			var flags int
			if flags, err = mime.update(rec.Type, rec.Data); err == nil && flags != 0 {
				return st.mimeFail(), true, nil
			}
		} else {
			err = st.textOut(rec.Type, rec.Data)
		}
		if err != nil {
			return 0, false, err
		}
		prev = rec.Type
	}
	if mime != nil {
		flags, err := mime.update(rec.Type, nil)
		if err != nil {
			return 0, false, err
		}
		if flags != 0 {
			return st.mimeFail(), true, nil
		}
	} else if prev == record.Cont {
		if err := s.st.fputs(nil); err != nil {
			return 0, false, err
		}
	}
	if err := st.pixDelay(); err != nil {
		return 0, false, err
	}
	if rec.Type != record.Xtra {
		st.ag.log.Warnf("%s: bad record type: %d in message content", req.QueueID, rec.Type)
		res := st.mesgFail("", fake("5.3.0"), "unreadable mail queue entry")
		s.st.purgeOut()
		s.forbid()
		if st.status == 0 {
			deliver.MarkCorrupt(st.src, st.ag.log, st.ag.ownerUID, st.ag.ownerGID)
		}
		return res, true, nil
	}
	return 0, false, nil
}

// newMime makes the MIME parser the body goes through when it is
// downgraded, generic mapping is on or there are header or body checks;
// nil when the body is sent as it is.
func (st *state) newMime() *mimeState {
	a, cfg := st.ag, st.ag.cfg
	downgrade := st.downgrading()
	anyChecks := a.headerChecks != nil || a.bodyChecks != nil
	if !downgrade && a.generic == nil && !anyChecks {
		return nil
	}
	opts := 0
	switch {
	case downgrade:
		opts = mimeOptDowngrade
	case !anyChecks:
		opts = mimeOptDisable
	}
	head := st.headerOut
	if a.generic != nil || a.headerChecks != nil {
		head = st.headerRewrite
	}
	body := st.textOut
	if a.bodyChecks != nil {
		body = st.bodyRewrite
	}
	return newMimeState(opts, head, body, cfg.headerLimit, cfg.mimeDepth, cfg.mimeBoundLen)
}

// headerOut sends a header line by line (smtp_header_out).
func (st *state) headerOut(_ int, _ *headers.Opts, h string) error {
	for _, line := range strings.Split(h, "\n") {
		if err := st.textOut(record.Norm, []byte(line)); err != nil {
			return err
		}
	}
	return nil
}

// headerRewrite applies smtp_header_checks and then smtp_generic_maps
// to the sender and recipient headers of the primary header block
// (smtp_header_rewrite). A rewritten address list is folded again.
func (st *state) headerRewrite(class int, opts *headers.Opts, h string) error {
	a := st.ag
	if a.headerChecks != nil {
		res, out, err := a.headerChecks.header(st, class, opts, h)
		if err != nil {
			a.log.Warnf("%s: smtp header checks lookup error", st.req.QueueID)
			return errData
		}
		switch res {
		case hbcDrop:
			return nil
		case hbcReplace:
			h = out
		}
	}
	if a.generic != nil && opts != nil && class == mimePrimary && opts.Flags&(headers.OptSender|headers.OptRecip) != 0 {
		if out, did := a.generic.header(opts, h); did {
			for _, line := range foldAddressLines(out) {
				if err := st.textOut(record.Norm, []byte(line)); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return st.headerOut(class, opts, h)
}

// bodyRewrite applies smtp_body_checks to a body record
// (smtp_body_rewrite).
func (st *state) bodyRewrite(recType byte, text []byte) error {
	res, out, err := st.ag.bodyChecks.body(st, string(text))
	switch {
	case err != nil:
		st.ag.log.Warnf("%s: smtp body checks lookup error", st.req.QueueID)
		return errData
	case res == hbcDrop:
		return nil
	case res == hbcReplace:
		return st.textOut(recType, []byte(out))
	}
	return st.textOut(recType, text)
}

// hbcLog logs a header or body check action (smtp_hbc_logger).
func (st *state) hbcLog(action, where, content, text string) {
	if len(content) > 60 {
		content = content[:60]
	}
	if text != "" {
		st.ag.log.Infof("%s: %s: %s %s: %s", st.req.QueueID, action, where, content, text)
	} else {
		st.ag.log.Infof("%s: %s: %s %s", st.req.QueueID, action, where, content)
	}
}

// hbcPrepend sends the text of a PREPEND action.
func (st *state) hbcPrepend(text string) error { return st.textOut(record.Norm, []byte(text)) }

func (st *state) warnf(format string, args ...any) { st.ag.log.Warnf(format, args...) }

// textOut sends one piece of text: dot-stuffing at the start of a line
// and lines longer than smtp_line_length_limit broken with
// <CR><LF><SPACE> (smtp_text_out).
func (st *state) textOut(recType byte, text []byte) error {
	out, limit := st.sess.st, st.ag.cfg.smtpLineLimit
	for {
		if st.spaceLeft == limit && len(text) > 0 && text[0] == '.' {
			if err := out.fwrite([]byte{'.'}); err != nil {
				return err
			}
		}
		if limit > 0 && len(text) >= st.spaceLeft {
			if err := out.fputs(text[:st.spaceLeft]); err != nil {
				return err
			}
			text = text[st.spaceLeft:]
			st.spaceLeft = limit
			if len(text) > 0 || recType == record.Cont {
				if err := out.fwrite([]byte{' '}); err != nil {
					return err
				}
				st.spaceLeft--
				if !st.loggedLen {
					st.ag.log.Infof("%s: breaking line > %d bytes with <CR><LF>SPACE", st.req.QueueID, limit)
					st.loggedLen = true
				}
			}
		} else {
			if recType == record.Cont {
				st.spaceLeft -= len(text)
				return out.fwrite(text)
			}
			st.spaceLeft = limit
			return out.fputs(text)
		}
		if len(text) == 0 {
			return nil
		}
	}
}

// mimeFail reports the one MIME error the client checks for
// (smtp_mime_fail); the transaction ends without a result.
func (st *state) mimeFail() int {
	st.mesgFail("", fake("5.6.0"), "MIME nesting exceeds safety limit")
	return 0
}

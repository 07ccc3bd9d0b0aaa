package main

import (
	"bufio"
	"errors"
	"io"

	"gopostfix/libglobal/queue"
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
	var mime *mimeState
	if st.downgrading() {
		cfg := st.ag.cfg
		mime = newMimeState(st.textOut, cfg.headerLimit, cfg.mimeDepth, cfg.mimeBoundLen)
	}
	st.spaceLeft = st.ag.cfg.smtpLineLimit
	st.loggedLen = false
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
	if rec.Type != record.Xtra {
		st.ag.log.Warnf("%s: bad record type: %d in message content", req.QueueID, rec.Type)
		res := st.mesgFail("", fake("5.3.0"), "unreadable mail queue entry")
		s.st.purgeOut()
		s.forbid()
		if st.status == 0 {
			st.markCorrupt()
		}
		return res, true, nil
	}
	return 0, false, nil
}

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

// markCorrupt makes the queue file mode say "corrupt" (mark_corrupt).
func (st *state) markCorrupt() {
	st.ag.log.Warnf("corrupted queue file: %s", st.src.Name())
	if err := st.src.Chmod(queue.StatCorrupt); err != nil {
		st.ag.fatal("mark_corrupt: fchmod %s: %v", st.src.Name(), err)
	}
}

// mimeFail reports the one MIME error the client checks for
// (smtp_mime_fail); the transaction ends without a result.
func (st *state) mimeFail() int {
	st.mesgFail("", fake("5.6.0"), "MIME nesting exceeds safety limit")
	return 0
}

package smtpd

import (
	"bytes"
	"strconv"
	"strings"

	"gopostfix/libglobal/ehlomask"
	"gopostfix/libglobal/record"
)

// bdatState is the state of a BDAT transfer in progress.
type bdatState struct {
	failed  bool   // an earlier chunk failed; discard until LAST
	partial []byte // an unterminated line carried into the next chunk
	pending int64  // bytes of the current chunk not yet read
	// prevCont: the last record was a piece of a longer line.
	prevCont bool
}

// bdatOut writes one record of BDAT content. A before-queue filter is
// spoken to with DATA, so its lines are dot-stuffed.
func (ss *Session) bdatOut(typ byte, text string) {
	if ss.err == StatOK {
		if ss.proxy != nil && !ss.bdat.prevCont && strings.HasPrefix(text, ".") {
			ss.out(record.Cont, ".")
		}
		ss.out(typ, text)
	}
	ss.bdat.prevCont = typ == record.Cont
}

// bdatPending is what "lost connection after BDAT" adds to the message
// size: an unterminated line, and what arrived of the chunk fragment
// being read.
func (ss *Session) bdatPending() int64 {
	if ss.bdat == nil {
		return 0
	}
	return int64(len(ss.bdat.partial) + ss.s.shortRead)
}

// bdatFragment is how much of a chunk is read at a time
// (VSTREAM_BUFSIZE), which decides the count above.
const bdatFragment = 4096

// skipChunk reads and discards n bytes.
func (ss *Session) skipChunk(n int64) {
	buf := make([]byte, 8192)
	for n > 0 {
		k := int64(len(buf))
		if n < k {
			k = n
		}
		ss.s.readFull(buf[:k])
		n -= k
	}
}

// bdatCmd is the BDAT command (RFC 3030; smtpd.c bdat_cmd).
func (ss *Session) bdatCmd(argv []token) bool {
	if ss.discardMask&ehlomask.Chunking != 0 {
		ss.fail(errProtocol, "521 5.5.1 Error: command not implemented")
		return false
	}
	if len(argv) < 2 || len(argv) > 3 || !allDigits(argv[1].val) ||
		(len(argv) == 3 && !strings.EqualFold(argv[2].val, "LAST")) {
		ss.log.Warnf("%s: malformed BDAT command syntax from %s: %s", ss.queueIDOrNone(), ss.namaddr, truncate(printable(joinTokens(argv)), 100))
		ss.fail(errProtocol, "521 5.5.4 Syntax: BDAT count [LAST]")
		return false
	}
	size, err := strconv.ParseInt(argv[1].val, 10, 64)
	if err != nil {
		ss.log.Warnf("%s: malformed BDAT command syntax from %s: %s", ss.queueIDOrNone(), ss.namaddr, truncate(printable(joinTokens(argv)), 100))
		ss.fail(errProtocol, "521 5.5.4 Syntax: BDAT count [LAST]")
		return false
	}
	last := len(argv) == 3
	if ss.bdat != nil && ss.bdat.failed {
		ss.skipChunk(size)
		ss.replyf("551 5.0.0 Discarded %d bytes after earlier error", size)
		if last {
			ss.mailReset()
		}
		return false
	}
	fail := func(reply string) bool {
		ss.skipChunk(size)
		if ss.bdat != nil && !last {
			ss.bdat.failed = true
		}
		ss.reply(reply)
		return false
	}
	if ss.bdat == nil {
		switch {
		case ss.rcptCount == 0 && !ss.inMail:
			ss.errMask |= errProtocol
			return fail("503 5.5.1 Error: need RCPT command")
		case ss.rcptCount == 0:
			return fail("554 5.5.1 Error: no valid recipients")
		}
		if !ss.StandAlone {
			if r := ss.checkData(); r != "" {
				return fail(r)
			}
		}
		if r := ss.milterData(); r != "" {
			return fail(r)
		}
		if ss.proxy != nil && !ss.proxyCmd(proxyWantMore, "DATA") {
			return fail(ss.proxy.reply)
		}
		ss.bdat = &bdatState{}
		ss.beginContent()
	}
	if size == 0 && !last {
		ss.reply("551 5.7.1 Null BDAT request")
		ss.bdat.failed = true
		return false
	}
	if ss.cfg.MessageSize > 0 && ss.actSize+size > ss.cfg.MessageSize {
		ss.log.Warnf("%s: BDAT request from %s exceeds message size limit", ss.queueIDOrNone(), ss.namaddr)
		ss.bdat.failed = !last
		ss.skipChunk(size)
		ss.fail(errPolicy, "552 5.3.4 Chunk exceeds message size limit")
		if last {
			ss.mailReset()
		}
		return false
	}
	ss.where = afterBDAT
	ss.readChunk(size)
	ss.where = "BDAT"
	if !last {
		ss.replyf("250 2.0.0 Ok: %d bytes", size)
		return true
	}
	if len(ss.bdat.partial) > 0 {
		ss.bdatOut(record.Norm, string(ss.bdat.partial))
		ss.actSize += int64(len(ss.bdat.partial))
		ss.bdat.partial = nil
	}
	ss.where = afterEOM
	return ss.finishMessage(true)
}

// readChunk reads size bytes and writes them as records, splitting at
// newlines (CRLF or LF) and at line_length_limit. The message size is
// counted as Postfix counts it, by record: a line with its CRLF.
func (ss *Session) readChunk(size int64) {
	buf := make([]byte, bdatFragment)
	b := ss.bdat
	for size > 0 {
		k := int64(len(buf))
		if size < k {
			k = size
		}
		ss.s.readFull(buf[:k])
		size -= k
		data := buf[:k]
		for len(data) > 0 {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				b.partial = append(b.partial, data...)
				data = nil
			} else {
				b.partial = append(b.partial, data[:i]...)
				data = data[i+1:]
				line := bytes.TrimSuffix(b.partial, []byte("\r"))
				ss.bdatOut(record.Norm, string(line))
				ss.actSize += int64(len(line)) + 2 // counted as a CRLF line
				b.partial = b.partial[:0]
			}
			for len(b.partial) >= ss.cfg.LineLimit {
				ss.bdatOut(record.Cont, string(b.partial[:ss.cfg.LineLimit]))
				ss.actSize += int64(ss.cfg.LineLimit)
				b.partial = append(b.partial[:0], b.partial[ss.cfg.LineLimit:]...)
			}
		}
	}
}

func joinTokens(argv []token) string {
	parts := make([]string, len(argv))
	for i, t := range argv {
		parts[i] = t.val
	}
	return strings.Join(parts, " ")
}

package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/trigger"
	"gopostfix/libglobal/util/attr"
)

// socketBuffer is the size of the buffer records are read through: a
// message of a few KB is read in one read(2) instead of one per 4 KB.
const socketBuffer = 8 << 10

// daemon is what every connection shares.
type daemon struct {
	cfg        *config
	layout     *queue.Layout
	queueDir   string
	ipcTimeout time.Duration
	trigTime   time.Duration
	qmgr       string // queue_service_name
	// status sends the notices of mail cleanup bounces itself.
	status        *bounce.Client
	verpBounceOff bool // disable_verp_bounces
}

// serve receives one message (cleanup_service): announce the queue ID,
// read the flags and the record stream up to the end record, finish the
// queue file and reply with the status.
func (d *daemon) serve(nc net.Conn) {
	log := d.cfg.log
	e, err := d.layout.Enter(log, queue.Incoming, 0600, time.Now)
	if err != nil {
		log.Fatalf("%v", err)
	}
	st := &state{cfg: d.cfg, entry: e, file: e.File, queueID: e.ID, ctime: e.Time,
		attrs: map[string]string{"log_message_origin": "local"}, dups: map[string]bool{}, errMask: ^0,
		// Headers are rewritten in the local context unless the client
		// says otherwise (smtpd sends rewrite_context).
		hdrContext: "local", mil: newMilterState()}
	// 4 KB as Postfix's VSTREAM: when a write error such as the file size
	// limit shows (before or after the bounce decision) depends on it.
	st.buf = bufio.NewWriterSize(e.File, 4096)
	st.w = record.NewWriter(st.buf, 0)
	for _, q := range []string{"defer", "bounce", "trace"} {
		// unlink(2) alone: os.Remove would try rmdir(2) after it fails.
		if err := syscall.Unlink(d.layout.Abs(d.layout.Path(q, st.queueID))); err == nil {
			log.Warnf("%s: removed spurious %s log", q, st.queueID)
		} else if !errors.Is(err, os.ErrNotExist) {
			log.Fatalf("%s: remove %s log: %s", q, st.queueID, queue.Strerror(err))
		}
	}
	c := attr.NewConn(nc, attr.Format0, "cleanup socket", d.ipcTimeout)
	if err := c.Announce("cleanup_protocol", attr.Str("queue_id", st.queueID)); err != nil {
		st.errs |= statBad
	}
	var flags int
	if n, err := c.Scan(attr.Strict, attr.RecvInt("flags", &flags)); err != nil || n != 1 {
		st.errs |= statBad
		flags = 0
	}
	st.control(flags)
	// One buffer for the records and for the attributes of milters that
	// smtpd hands over in the middle of them.
	c.R = attr.NewReader(bufio.NewReaderSize(c.BufReader(), socketBuffer), attr.Format0, "cleanup socket")
	st.conn = c
	rd := record.NewReader(c.BufReader(), "cleanup socket", 0, 0)
	st.in = rd
	var t byte
	var readErr error
	for st.outOK() {
		rec, err := rd.Next()
		if err != nil {
			readErr = err
			st.errs |= statBad
			t = 0
			break
		}
		t = rec.Type
		if t == record.Ptr || t == record.Padding {
			log.Warnf("%s: record type %d not allowed - discarding this message", st.queueID, t)
			st.errs |= statBad
			t = 0
			break
		}
		st.record(t, string(rec.Data))
		if t == record.End {
			break
		}
	}
	for !st.outOK() && t != 0 && t != record.End {
		rec, err := rd.Next()
		if err != nil {
			readErr = err
			break
		}
		t = rec.Type
	}
	if errors.Is(readErr, os.ErrDeadlineExceeded) {
		log.Warnf("%s: read timeout on %s", st.queueID, "cleanup socket")
	}
	status := d.flush(st)
	reason := st.reason
	if st.flags&flagSMTPRply != 0 && st.smtpReply != "" {
		reason = st.smtpReply
	}
	c.Print(attr.Int("status", status), attr.Str("reason", reason))
	// The emulated disconnect, even when the client turned Milters off
	// (cleanup_free).
	if d.cfg.milters != nil && st.mil.smtpd == nil {
		d.cfg.milters.DiscEvent()
	}
	if st.mil.smtpd != nil {
		st.mil.smtpd.Close()
	}
}

// control applies the client's flags (cleanup_control).
func (st *state) control(flags int) {
	st.flags = flags
	if flags&flagBounce != 0 {
		st.errMask = statMaskIncomplete
	} else {
		st.errMask = ^0
	}
	if flags&flagSMTPUTF8 != 0 {
		st.smtputf8 = utf8Requested
	}
}

// record dispatches a record to the handler of the current segment.
func (st *state) record(t byte, buf string) {
	switch st.seg {
	case segEnvelope:
		if !st.started {
			// The size record is written first and rewritten at the end.
			st.started = true
			st.out(record.Size, record.SizeInfo{}.Format())
		}
		st.envelope(t, buf)
	case segHeaders, segBody:
		st.content(t, buf)
	default:
		st.extracted(t, buf)
	}
}

// flush completes or abandons the queue file (cleanup_flush) and returns
// the status for the client.
func (d *daemon) flush(st *state) int {
	log := d.cfg.log
	if st.outOK() {
		if st.recip == nil {
			st.errs |= statRcpt
		}
		if st.flags&flagEndSeen == 0 {
			st.errs |= statBad
		}
	}
	if st.flags&flagDiscard != 0 {
		st.errs = 0
	}
	st.milterEnd()
	if st.outOK() {
		st.final()
	}
	if st.errs != 0 && st.canBounce() {
		d.bounce(st)
	}
	queueName := queue.Incoming
	if st.errs == 0 && st.flags&flagDiscard == 0 {
		if st.flags&flagHold != 0 {
			// Moved before it is complete, so that qmgr never sees it.
			if err := d.layout.Move(st.queueID, queue.Incoming, queue.Hold); err != nil {
				log.Warnf("%s: rename to %s: %v", st.queueID, queue.Hold, err)
				st.errs |= statWrite
			} else {
				queueName = queue.Hold
			}
		}
		if st.errs != 0 {
			st.file.Close()
		} else if err := st.finishFile(); err != nil {
			if errors.Is(err, syscall.EFBIG) {
				log.Warnf("%s: queue file size limit exceeded", st.queueID)
				st.errs |= statSize
			} else {
				log.Warnf("%s: write queue file: %s", st.queueID, queue.Strerror(err))
				st.errs |= statWrite
			}
		} else if queueName == queue.Incoming {
			if err := d.wakeQmgr(); err != nil {
				var w *trigger.Warning
				if errors.As(err, &w) {
					log.Warnf("%s", w.Text)
				}
			}
		}
	} else {
		// A stream with a write error fails to close as well
		// (mail_stream_cleanup).
		if st.streamErr {
			log.Warnf("mail_stream_cleanup: close error")
		}
		st.file.Close()
	}
	if st.errs != 0 || st.flags&flagDiscard != 0 {
		if err := d.layout.Remove(queueName, st.queueID); err != nil {
			log.Warnf("remove %s: %s", d.layout.Path(queueName, st.queueID), queue.Strerror(err))
		}
	}
	return st.errs
}

// final rewrites the size record (cleanup_final).
func (st *state) final() {
	if err := st.buf.Flush(); err != nil {
		st.w = record.NewWriter(errWriter{err}, st.w.Offset())
		st.checkWrite()
		return
	}
	info := record.SizeInfo{
		ContentSize:   st.xtraOffset - st.dataOffset,
		DataOffset:    st.dataOffset,
		RcptCount:     int64(st.rcptCount),
		QmgrFlags:     int64(st.qmgrOpts),
		ContentLength: st.contLength,
		SendOpts:      int64(st.smtputf8),
	}
	if _, err := st.file.WriteAt(record.Append(nil, record.Size, []byte(info.Format())), 0); err != nil {
		st.w = record.NewWriter(errWriter{err}, 0)
		st.w.PutString(record.Size, "")
		st.checkWrite()
	}
}

// finishFile makes the file complete: owner execute, fsync, close
// (mail_stream_finish_file).
func (st *state) finishFile() error {
	err := st.buf.Flush()
	if err == nil {
		err = st.file.Chmod(0700)
	}
	if err == nil {
		err = st.file.Sync()
	}
	if cerr := st.file.Close(); err == nil {
		err = cerr
	}
	return err
}

// errWriter fails every write with a fixed error.
type errWriter struct{ err error }

func (e errWriter) Write([]byte) (int, error) { return 0, e.err }

var _ io.Writer = errWriter{}

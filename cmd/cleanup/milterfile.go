package main

import (
	"errors"
	"fmt"
	"io"
	"syscall"

	"gopostfix/libglobal/cleanup"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
)

// Queue file editing for Milters (cleanup_milter.c): new records go
// after the end of the file and are linked in with pointer records that
// overwrite reserved places (the placeholders and padding written while
// the message was received).
const (
	// ptrPayload is the data length of a pointer record
	// (REC_TYPE_PTR_PAYL_SIZE); a record at least this long can be
	// overwritten by a pointer.
	ptrPayload = 15
	// milterHeaderLimit caps header_size_limit when Milters apply, so
	// that a header fits in a default libmilter request (65535).
	milterHeaderLimit = 60000
)

// ptrRecLen is the size of a whole pointer record.
var ptrRecLen = int64(record.EncodedLen(ptrPayload))

// seekOut makes the next records go to offset off (vstream_fseek before
// a write).
func (st *state) seekOut(off int64) error {
	if err := st.buf.Flush(); err != nil {
		return err
	}
	if _, err := st.file.Seek(off, io.SeekStart); err != nil {
		return err
	}
	st.w = record.NewWriter(st.buf, off)
	return nil
}

// seekOutEnd makes the next records go to the end of the file and
// returns that offset.
func (st *state) seekOutEnd() (int64, error) {
	if err := st.buf.Flush(); err != nil {
		return -1, err
	}
	off, err := st.file.Seek(0, io.SeekEnd)
	if err != nil {
		return -1, err
	}
	st.w = record.NewWriter(st.buf, off)
	return off, nil
}

// readFrom returns a reader of raw records (pointers and padding
// included) starting at off.
func (st *state) readFrom(off int64) (*record.Reader, error) {
	if err := st.buf.Flush(); err != nil {
		return nil, err
	}
	if _, err := st.file.Seek(off, io.SeekStart); err != nil {
		return nil, err
	}
	return record.NewReader(st.file, st.entry.Path, 0, 0), nil
}

// flushEdit writes out what an edit left in the buffer, so that the
// next reader of the file (the next Milter) sees it.
func (st *state) flushEdit() {
	if err := st.buf.Flush(); err != nil {
		st.milterSetError(err)
	}
}

// milterSetError turns an I/O error into a status bit
// (cleanup_milter_set_error).
func (st *state) milterSetError(err error) {
	if errors.Is(err, syscall.EFBIG) {
		st.cfg.log.Warnf("%s: queue file size limit exceeded", st.queueID)
		st.errs |= statSize
		return
	}
	st.cfg.log.Warnf("%s: write queue file: %s", st.queueID, queue.Strerror(err))
	st.errs |= statWrite
}

// milterError is the reply of an edit that failed (cleanup_milter_error):
// the error, when not nil, is turned into a status bit first; the text
// describes the status.
func (st *state) milterError(err error) string {
	if err != nil {
		st.milterSetError(err)
	} else if st.outOK() {
		// Postfix panics here: an edit failed without a reason.
		st.errs |= statWrite
	}
	d := cleanup.StatDetail(st.errs)
	return fmt.Sprintf("%d %s %s", d.SMTP, d.DSN, d.Text)
}

// editResult is the reply at the end of an edit: "" when the file is
// still good, else the error text.
func (st *state) editResult() string {
	st.flushEdit()
	if !st.outOK() {
		return st.milterError(nil)
	}
	return ""
}

// ioWarn logs a seek/read failure of an edit as Postfix names it.
func (st *state) ioWarn(fn, what string, err error) {
	st.cfg.log.Warnf("%s: %s file %s: %s", fn, what, st.entry.Path, queue.Strerror(err))
}

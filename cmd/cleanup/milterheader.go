package main

import (
	"strings"

	"gopostfix/libglobal/record"
)

// Results of findHeaderStart besides an offset.
const (
	findNotFound = -1
	findIOError  = -2
)

// foundHeader is the first record of a header findHeaderStart found (or
// the pointer record that leads to it), with the reader positioned at
// the first non-padding record after it.
type foundHeader struct {
	off  int64
	typ  byte
	data string
	rd   *record.Reader
}

func isSpaceTab(s string) bool { return s != "" && (s[0] == ' ' || s[0] == '\t') }

// isHiddenHeader reports whether a header is one of cleanup's own
// (its Received:), each hidden once, so that Milter header indexes count
// the headers as received (hidden_header).
func (st *state) isHiddenHeader(first string, done *int) bool {
	for i, h := range st.mil.autoHdrs {
		mask := 1 << i
		if *done&mask == 0 && strings.HasPrefix(h, first) {
			*done |= mask
			return true
		}
	}
	return false
}

// nextTextOrPtr reads the next record that is not padding; ok false
// means the headers end here: another record type, or the header
// append pointer, which is not followed. A read error is logged and
// turned into a status bit.
func (st *state) nextTextOrPtr(rd *record.Reader, fn string) (rec record.Record, ok bool, err error) {
	for {
		if rd.Offset() == st.mil.hdrPtOffset {
			return record.Record{Offset: rd.Offset()}, false, nil
		}
		rec, err = rd.Next()
		if err != nil {
			st.ioWarn(fn, "read", err)
			st.milterSetError(err)
			return rec, false, err
		}
		switch rec.Type {
		case record.Padding:
			continue
		case record.Norm, record.Cont, record.Ptr:
			return rec, true, nil
		}
		return rec, false, nil
	}
}

// findHeaderStart finds instance index (1 = first) of the header named
// label, or of any header when label is "" (cleanup_find_header_start).
// With ptrBackup the result may be the pointer record that leads to the
// header. off is findNotFound or findIOError when there is no result.
func (st *state) findHeaderStart(index int, label string, ptrBackup bool) foundHeader {
	const fn = "cleanup_find_header_start"
	rd, err := st.readFrom(st.dataOffset)
	if err != nil {
		st.ioWarn(fn, "seek", err)
		st.milterSetError(err)
		return foundHeader{off: findIOError}
	}
	var (
		ptrOff   int64
		ptrData  string
		lastType byte
		hideDone int
		cur      int64
		rec      record.Record
		data     string
	)
	for {
		var ok bool
		if rec, ok, err = st.nextTextOrPtr(rd, fn); err != nil {
			return foundHeader{off: findIOError}
		} else if !ok {
			break
		}
		cur = rec.Offset
		data = string(rec.Data)
		if rec.Type == record.Ptr {
			if err := rd.Goto(rec.Data); err != nil {
				st.ioWarn(fn, "read", err)
				st.milterSetError(err)
				return foundHeader{off: findIOError}
			}
			if ptrBackup {
				ptrOff, ptrData = cur, data
			}
			// A pointer may sit in the middle of a multi-record header.
			continue
		}
		if lastType == record.Cont || isSpaceTab(data) {
			// The rest of a multi-line header.
		} else if n := record.HeaderNameLen(rec.Data); n == 0 {
			break
		} else if label == "" || (len(label) == n && strings.EqualFold(label, data[:n]) &&
			!st.isHiddenHeader(data, &hideDone)) {
			if index--; index == 0 {
				break
			}
		}
		ptrOff = 0
		lastType = rec.Type
	}
	if index > 0 {
		return foundHeader{off: findNotFound}
	}
	// Step over the padding of a short header record.
	if len(data) < ptrPayload {
		pad, err := rd.Next()
		if err != nil {
			st.milterSetError(err)
			return foundHeader{off: findIOError}
		}
		if pad.Type != record.Padding {
			st.cfg.log.Warnf("%s: short header without padding", fn)
			st.errs |= statWrite
			return foundHeader{off: findIOError}
		}
	}
	if ptrOff != 0 {
		return foundHeader{off: ptrOff, typ: record.Ptr, data: ptrData, rd: rd}
	}
	return foundHeader{off: cur, typ: rec.Type, data: data, rd: rd}
}

// findHeaderEnd returns the offset of the record after the header that
// findHeaderStart found (cleanup_find_header_end), or -1.
func (st *state) findHeaderEnd(h foundHeader) int64 {
	const fn = "cleanup_find_header_end"
	rd, lastType := h.rd, h.typ
	for {
		rec, ok, err := st.nextTextOrPtr(rd, fn)
		if err != nil {
			return -1
		} else if !ok {
			return rec.Offset
		}
		if rec.Type == record.Ptr {
			if err := rd.Goto(rec.Data); err != nil {
				st.ioWarn(fn, "read", err)
				st.milterSetError(err)
				return -1
			}
			continue
		}
		if lastType != record.Cont && !isSpaceTab(string(rec.Data)) {
			return rec.Offset
		}
		lastType = rec.Type
	}
}

// AddHeader appends a header after the last one (cleanup_add_header).
func (st *state) AddHeader(name, value, space string) string {
	h := name + ":" + space + value
	if st.cfg.milterHdrChecks != nil {
		var keep bool
		if h, keep = st.milterHeaderChecks(h); !keep || st.flags&flagDiscard != 0 {
			return ""
		}
		if !st.outOK() {
			return st.milterError(nil)
		}
	}
	return st.appendHeader(h)
}

// appendHeader writes h after the end of the file, followed by a pointer
// back to where the header append pointer led, and points the header
// append pointer at it.
func (st *state) appendHeader(h string) string {
	const fn = "cleanup_add_header"
	newOff, err := st.seekOutEnd()
	if err != nil {
		st.ioWarn(fn, "seek", err)
		return st.milterError(err)
	}
	st.outHeader(h)
	reverse := st.offset()
	st.ptr(st.mil.hdrPtTarget)
	if err := st.seekOut(st.mil.hdrPtOffset); err != nil {
		st.ioWarn(fn, "seek", err)
		return st.milterError(err)
	}
	st.ptr(newOff)
	st.mil.hdrPtOffset = reverse
	return st.hbcResult()
}

// hbcResult is the reply after a header was written: an error, the
// reply of a milter_header_checks REJECT or DISCARD, or "".
func (st *state) hbcResult() string {
	st.flushEdit()
	if !st.outOK() {
		return st.milterError(nil)
	}
	return st.mil.hbcReply
}

// patchHeader writes a new header after the end of the file and links
// it in place of the record at oldOff (cleanup_patch_header). With
// oldType > 0 that record is kept after the new header (an insert); a
// pointer back to next follows unless the saved record was a pointer.
func (st *state) patchHeader(name, space, value string, oldOff int64, oldType byte, oldData string, next int64) string {
	const fn = "cleanup_patch_header"
	h := name + ":" + space + value
	if st.cfg.milterHdrChecks != nil {
		var keep bool
		if h, keep = st.milterHeaderChecks(h); !keep {
			return ""
		}
	}
	newOff, err := st.seekOutEnd()
	if err != nil {
		st.ioWarn(fn, "seek", err)
		return st.milterError(err)
	}
	st.outHeader(h)
	if oldType > 0 {
		st.out(oldType, oldData)
		if len(oldData) < ptrPayload {
			st.pad(record.Padding, ptrPayload-len(oldData))
		}
	}
	if oldType != record.Ptr {
		st.ptr(next)
	}
	if err := st.seekOut(oldOff); err != nil {
		st.ioWarn(fn, "seek", err)
		return st.milterError(err)
	}
	st.ptr(newOff)
	return st.hbcResult()
}

// InsHeader inserts a header before header number index, counting all
// headers from 1 (cleanup_ins_header).
func (st *state) InsHeader(index int, name, value, space string) string {
	index = max(index, 1)
	h := st.findHeaderStart(index, "", true)
	switch {
	case h.off == findIOError:
		return st.milterError(nil)
	case h.off < 0:
		return st.AddHeader(name, value, space)
	}
	next := int64(-1)
	if h.typ != record.Ptr {
		next = h.rd.Offset()
	}
	return st.patchHeader(name, space, value, h.off, h.typ, h.data, next)
}

// UpdHeader replaces instance index of the named header, or appends the
// header when there is no such instance (cleanup_upd_header).
func (st *state) UpdHeader(index int, name, value, space string) string {
	h := st.findHeaderStart(index, name, false)
	switch {
	case h.off == findIOError:
		return st.milterError(nil)
	case h.off < 0:
		return st.AddHeader(name, value, space)
	}
	next := st.findHeaderEnd(h)
	if next < 0 {
		return st.milterError(nil)
	}
	return st.patchHeader(name, space, value, h.off, 0, "", next)
}

// DelHeader deletes instance index of the named header by overwriting
// its first record with a pointer to what follows it
// (cleanup_del_header).
func (st *state) DelHeader(index int, name string) string {
	h := st.findHeaderStart(index, name, false)
	if h.off == findIOError {
		return st.milterError(nil)
	}
	if h.off > 0 {
		next := st.findHeaderEnd(h)
		if next < 0 {
			return st.milterError(nil)
		}
		if err := st.seekOut(h.off); err != nil {
			st.ioWarn("cleanup_del_header", "seek", err)
			return st.milterError(err)
		}
		st.w.PutString(record.Ptr, record.FormatFixed(next))
		st.checkWrite()
	}
	return st.editResult()
}

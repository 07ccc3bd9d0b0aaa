package main

import (
	"gopostfix/libglobal/record"
)

// region is a stretch of the queue file that holds body text
// (CLEANUP_REGION); len 0 means open-ended at the end of the file.
type region struct {
	start, len, writeOffs int64
}

// regionOpen takes the first free region of at least n bytes, or makes
// an open-ended one at the end of the file (cleanup_region_open).
func (st *state) regionOpen(n int64) *region {
	for i, r := range st.mil.freeRegions {
		if r.len >= n {
			st.mil.freeRegions = append(st.mil.freeRegions[:i:i], st.mil.freeRegions[i+1:]...)
			r.writeOffs = r.start
			return r
		}
	}
	st.flushEdit()
	size := int64(0)
	if fi, err := st.file.Stat(); err == nil {
		size = fi.Size()
	} else {
		st.cfg.log.Fatalf("cleanup_region_open: fstat file %s: %v", st.entry.Path, err)
	}
	return &region{start: size, writeOffs: size}
}

// regionClose freezes the size of an open-ended region
// (cleanup_region_close).
func regionClose(r *region) {
	if r.len == 0 {
		r.len = r.writeOffs - r.start
	}
}

// bodyEditStart begins a body replacement (cleanup_body_edit_start): the
// regions of the old body become free, the first region is linked to
// the end of the headers.
func (st *state) bodyEditStart() error {
	m := &st.mil
	st.contLength = m.bodyOffset - st.dataOffset
	if !m.regionsInit {
		// The original body, up to the content end record.
		m.bodyRegions = []*region{{start: m.hdrPtTarget, len: st.xtraOffset - m.hdrPtTarget, writeOffs: m.hdrPtTarget}}
		m.regionsInit = true
	}
	m.freeRegions = append(m.freeRegions, m.bodyRegions...)
	cur := st.regionOpen(ptrRecLen)
	m.bodyRegions, m.curRegion = []*region{cur}, cur
	if err := st.seekOut(m.hdrPtOffset); err != nil {
		st.ioWarn("cleanup_body_edit_start", "seek", err)
		return err
	}
	m.hdrPtTarget = cur.start
	st.ptr(m.hdrPtTarget)
	if st.offset() != cur.start {
		if err := st.seekOut(cur.start); err != nil {
			st.ioWarn("cleanup_body_edit_start", "seek", err)
			return err
		}
	}
	return nil
}

// bodyEditWrite writes one body record, moving on to another region
// when this one has no room left for it and a final pointer
// (cleanup_body_edit_write).
func (st *state) bodyEditWrite(t byte, line string) error {
	m := &st.mil
	cur := m.curRegion
	if cur.len > 0 {
		used := cur.writeOffs - cur.start
		need := int64(record.EncodedLen(len(line))) + ptrRecLen
		if need > cur.len-used {
			st.contLength += used
			next := st.regionOpen(need)
			if st.offset() != cur.writeOffs {
				if err := st.seekOut(cur.writeOffs); err != nil {
					return err
				}
			}
			st.ptr(next.start)
			cur.writeOffs = st.offset()
			regionClose(cur)
			m.bodyRegions = append(m.bodyRegions, next)
			m.curRegion, cur = next, next
			if err := st.seekOut(cur.start); err != nil {
				st.ioWarn("cleanup_body_edit_write", "seek", err)
				return err
			}
		}
	}
	st.out(t, line)
	cur.writeOffs = st.offset()
	return nil
}

// bodyEditFinish links the last body region to the content end record
// (cleanup_body_edit_finish).
func (st *state) bodyEditFinish() {
	cur := st.mil.curRegion
	st.contLength += cur.writeOffs - cur.start
	st.ptr(st.xtraOffset)
	cur.writeOffs = st.offset()
	regionClose(cur)
}

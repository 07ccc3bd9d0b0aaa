package cdb

import (
	"bytes"
	"errors"
	"io"
	"math/bits"
	"os"
	"unsafe"
)

// PutMode says what Put does when the key already exists (tinycdb's
// cdb_put_mode).
type PutMode int

const (
	// Add stores the record unconditionally; lookups find the first one.
	Add PutMode = iota
	// Replace removes the earlier record with the key from the file and
	// appends the new one.
	Replace
	// Insert keeps the earlier record and drops the new one.
	Insert
)

// maxSize is the largest file the 32-bit offsets can describe.
const maxSize = 0xffffffff

// ErrTooBig is returned when the file would outgrow 32-bit offsets.
var ErrTooBig = errors.New("cdb: file too large")

// rec is one record in the index: its hash and file position. A removed
// record has pos 0.
type rec struct {
	hash, pos uint32
}

// Writer builds a cdb file. Records are written through a buffer as they
// come; the index stays in memory until Finish writes the hash tables and
// the table of contents.
type Writer struct {
	f    *os.File
	buf  []byte // unwritten bytes, which start at file offset flushed
	base uint32 // file offset of buf[0]
	end  uint32 // file offset after the last record
	recs recIndex

	// dup is an open-addressing set of record numbers+1 keyed by hash,
	// used to find earlier records with the same key in Insert and
	// Replace mode without rereading the whole file.
	dup    []uint32
	dupMap mapped
	live   int
}

const bufSize = 64 * 1024

// NewWriter starts a cdb in f, which must be empty or will be
// overwritten from the start (the caller truncates it).
func NewWriter(f *os.File) *Writer {
	return &Writer{f: f, buf: make([]byte, tocSize, bufSize), base: 0, end: tocSize}
}

func (w *Writer) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	if _, err := w.f.WriteAt(w.buf, int64(w.base)); err != nil {
		return err
	}
	w.base += uint32(len(w.buf))
	w.buf = w.buf[:0]
	return nil
}

func (w *Writer) write(p []byte) error {
	if len(w.buf)+len(p) > cap(w.buf) {
		if err := w.flush(); err != nil {
			return err
		}
		if len(p) > cap(w.buf) {
			if _, err := w.f.WriteAt(p, int64(w.base)); err != nil {
				return err
			}
			w.base += uint32(len(p))
			return nil
		}
	}
	w.buf = append(w.buf, p...)
	return nil
}

// readAt reads n bytes at file offset pos, from the buffer or the file.
func (w *Writer) readAt(pos uint32, n int) ([]byte, error) {
	if pos >= w.base {
		off := pos - w.base
		return w.buf[off : int(off)+n], nil
	}
	if err := w.flush(); err != nil {
		return nil, err
	}
	p := make([]byte, n)
	_, err := w.f.ReadAt(p, int64(pos))
	if err == io.EOF {
		err = ErrFormat
	}
	return p, err
}

// sameKey reports whether the record at pos has this key.
func (w *Writer) sameKey(pos uint32, key []byte) (bool, error) {
	hdr, err := w.readAt(pos, 8)
	if err != nil {
		return false, err
	}
	if unpack(hdr) != uint32(len(key)) {
		return false, nil
	}
	k, err := w.readAt(pos+8, len(key))
	if err != nil {
		return false, err
	}
	return bytes.Equal(k, key), nil
}

// findDup returns the slot in w.dup and the record number of the live
// record with this key, or -1.
func (w *Writer) findDup(h uint32, key []byte) (int, error) {
	if len(w.dup) == 0 {
		return -1, nil
	}
	mask := uint32(len(w.dup) - 1)
	for i := dupSlot(h, mask); w.dup[i] != 0; i = (i + 1) & mask {
		n := w.dup[i] - 1
		r := *w.recs.at(int(n))
		if r.hash != h || r.pos == 0 {
			continue
		}
		same, err := w.sameKey(r.pos, key)
		if err != nil {
			return -1, err
		}
		if same {
			return int(n), nil
		}
	}
	return -1, nil
}

func (w *Writer) addDup(n uint32) error {
	if 4*(w.recs.n+1) > 3*len(w.dup) {
		size := 1024
		for size < 2*(w.recs.n+1) {
			size *= 2
		}
		old, oldMap := w.dup, w.dupMap
		m, err := mapAnon(4 * size)
		if err != nil {
			return err
		}
		w.dup, w.dupMap = m.uint32s(), m
		for _, v := range old {
			if v != 0 {
				w.insertDup(v - 1)
			}
		}
		oldMap.free()
	}
	w.insertDup(n)
	return nil
}

// dupSlot is where the duplicate index starts looking for hash h, in a
// table of mask+1 slots (a power of two). The cdb hash of similar short
// keys (user1, user2, ...) differs mostly in a few low bits; spread by a
// multiplication and taken from the top, they no longer pile up in long
// runs of neighbouring slots that every probe has to walk.
func dupSlot(h, mask uint32) uint32 {
	return (h * 0x9e3779b1) >> (32 - bits.OnesCount32(mask)) & mask
}

func (w *Writer) insertDup(n uint32) {
	mask := uint32(len(w.dup) - 1)
	i := dupSlot(w.recs.at(int(n)).hash, mask)
	for w.dup[i] != 0 {
		i = (i + 1) & mask
	}
	w.dup[i] = n + 1
}

// Put adds a record. exists reports that a record with the key was
// already present (in Add mode this is never checked and always false).
func (w *Writer) Put(key, value []byte, mode PutMode) (exists bool, err error) {
	return w.put(key, value, mode)
}

// PutString is Put for string keys and values, with an optional
// trailing NUL byte added to both (Postfix's TRY1NULL form).
func (w *Writer) PutString(key, value string, withNUL bool, mode PutMode) (exists bool, err error) {
	k := unsafe.Slice(unsafe.StringData(key), len(key))
	v := unsafe.Slice(unsafe.StringData(value), len(value))
	if withNUL {
		k = append(k[:len(k):len(k)], 0)
		v = append(v[:len(v):len(v)], 0)
	}
	return w.put(k, v, mode)
}

func (w *Writer) put(key, value []byte, mode PutMode) (exists bool, err error) {
	h := Hash(key)
	if mode != Add {
		n, err := w.findDup(h, key)
		if err != nil {
			return false, err
		}
		if n >= 0 {
			if mode == Insert {
				return true, nil
			}
			if err := w.remove(n); err != nil {
				return true, err
			}
			exists = true
		}
	}
	size := uint64(w.end) + 8 + uint64(len(key)) + uint64(len(value))
	if size > maxSize || (uint64(maxSize)-size)>>3 < uint64(w.recs.n+1) {
		return exists, ErrTooBig
	}
	var hdr [8]byte
	pack(hdr[:], uint32(len(key)))
	pack(hdr[4:], uint32(len(value)))
	if err := w.write(hdr[:]); err != nil {
		return exists, err
	}
	if err := w.write(key); err != nil {
		return exists, err
	}
	if err := w.write(value); err != nil {
		return exists, err
	}
	if err := w.recs.add(rec{hash: h, pos: w.end}); err != nil {
		return exists, err
	}
	w.end = uint32(size)
	w.live++
	if mode != Add || w.dup != nil {
		if err := w.addDup(uint32(w.recs.n - 1)); err != nil {
			return exists, err
		}
	}
	return exists, nil
}

// remove deletes record n from the file, moving the later records down,
// as tinycdb's replace mode does.
func (w *Writer) remove(n int) error {
	if err := w.flush(); err != nil {
		return err
	}
	pos := w.recs.at(n).pos
	hdr, err := w.readAt(pos, 8)
	if err != nil {
		return err
	}
	rlen := 8 + unpack(hdr) + unpack(hdr[4:])
	tail := make([]byte, w.end-pos-rlen)
	if _, err := w.f.ReadAt(tail, int64(pos+rlen)); err != nil {
		return err
	}
	if _, err := w.f.WriteAt(tail, int64(pos)); err != nil {
		return err
	}
	w.end -= rlen
	w.base = w.end
	w.recs.at(n).pos = 0
	w.live--
	for i := 0; i < w.recs.n; i++ {
		if r := w.recs.at(i); r.pos > pos {
			r.pos -= rlen
		}
	}
	return nil
}

// Finish writes the hash tables and the table of contents. The file is
// not synced or closed.
func (w *Writer) Finish() error {
	w.dupMap.free()
	w.dup, w.dupMap = nil, nil
	defer w.recs.free()
	// Order the live records by table, keeping insertion order inside
	// each table.
	var count [256]uint32
	for i := 0; i < w.recs.n; i++ {
		if r := w.recs.at(i); r.pos != 0 {
			count[r.hash&0xff]++
		}
	}
	var start [257]uint32
	for t := 0; t < 256; t++ {
		start[t+1] = start[t] + count[t]
	}
	orderMap, err := mapAnon(4 * w.live)
	if err != nil {
		return err
	}
	defer orderMap.free()
	order := orderMap.uint32s()
	fill := start
	for i := 0; i < w.recs.n; i++ {
		if r := w.recs.at(i); r.pos != 0 {
			t := r.hash & 0xff
			order[fill[t]] = uint32(i)
			fill[t]++
		}
	}
	var toc [tocSize]byte
	pos := uint64(w.end)
	var slots []rec
	for t := 0; t < 256; t++ {
		n := count[t] * 2
		pack(toc[t*8:], uint32(pos))
		pack(toc[t*8+4:], n)
		if n == 0 {
			continue
		}
		if cap(slots) < int(n) {
			slots = make([]rec, n)
		}
		slots = slots[:n]
		clear(slots)
		for _, i := range order[start[t]:start[t+1]] {
			r := *w.recs.at(int(i))
			s := (r.hash >> 8) % n
			for slots[s].pos != 0 {
				if s++; s == n {
					s = 0
				}
			}
			slots[s] = r
		}
		out := make([]byte, 8*n)
		for s, r := range slots {
			pack(out[s*8:], r.hash)
			pack(out[s*8+4:], r.pos)
		}
		if err := w.write(out); err != nil {
			return err
		}
		pos += uint64(len(out))
		if pos > maxSize {
			return ErrTooBig
		}
	}
	if err := w.flush(); err != nil {
		return err
	}
	// A replace may have left stale bytes past the new end.
	if err := w.f.Truncate(int64(pos)); err != nil {
		return err
	}
	_, err = w.f.WriteAt(toc[:], 0)
	return err
}

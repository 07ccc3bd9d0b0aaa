package bdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"syscall"
)

// hashFile reads records of a Berkeley DB 5.3 hash file directly with
// pread(2), for lookups only. The layout facts come from libdb's
// db_page.h and hash.h: a metadata page (page 0) with the bucket masks
// and the "spares" table that maps buckets to pages, bucket pages of
// key/data item pairs chained through next_pgno, and overflow pages for
// items larger than a quarter page. Keys hash with libdb's default
// function (Fowler/Noll/Vo, __ham_func5).
//
// It reads only the plain files that Postfix makes: little-endian,
// without checksums, encryption, duplicates or sub-databases. Anything
// else it meets, at open or on a page, is errFallback, and the caller
// asks libdb instead; it never guesses.
//
// Unlike libdb's memory pool it keeps no pages between lookups, only the
// metadata, which the caller refreshes each time it takes the file's
// lock, so a table that a writer rebuilt in place while unlocked is read
// afresh.
type hashFile struct {
	r        sizedReaderAt
	pagesize uint32
	lastPgno uint32
	maxBkt   uint32
	highMask uint32
	lowMask  uint32
	spares   [32]uint32
	valid    bool // the metadata was read and is usable

	cache *pageCache // bucket pages of the current batch (may be nil)
	page  []byte     // the bucket page being searched
	buf   []byte     // the page read when the cache holds none
	ovf   []byte     // an overflow page
	big   []byte     // an off-page key being compared
}

// errFallback says that the file or one of its pages uses a feature this
// reader does not handle: libdb must do the lookup.
var errFallback = errors.New("berkeley db page not handled by the Go reader")

// Layout constants (db_page.h, hash.h, db.h).
const (
	hashMagic      = 0x061561
	hashVersion    = 9
	pageHeaderSize = 26 // SIZEOF_PAGE; no checksum or IV space in Postfix's files
	metaSize       = 512

	pHashUnsorted = 2
	pOverflow     = 7
	pHashMeta     = 8
	pHash         = 13

	hKeyData = 1
	hOffPage = 3

	// metadata offsets
	offMagic     = 12
	offVersion   = 16
	offPagesize  = 20
	offEncrypt   = 24
	offType      = 25
	offMetaflags = 26
	offLastPgno  = 32
	offFlags     = 48
	offMaxBucket = 72
	offHighMask  = 76
	offLowMask   = 80
	offCharkey   = 92
	offSpares    = 96

	// page header offsets
	offNextPgno = 16
	offEntries  = 20
	offHfOffset = 22
	offPageType = 25
)

// charKey is the string whose hash libdb stores in the metadata page to
// tell which hash function built the file (hashed with its NUL byte: the
// C sizeof of the literal).
const charKey = "%$sniglet^&\x00"

var le = binary.LittleEndian

// fnvHash is libdb's default hash function, __ham_func5: FNV-1 with a
// zero starting value.
func fnvHash(k []byte) uint32 {
	var h uint32
	for _, c := range k {
		h *= 16777619
		h ^= uint32(c)
	}
	return h
}

// log2Ceil is __db_log2: the smallest i with 1<<i >= n.
func log2Ceil(n uint32) uint32 {
	var i uint32
	for limit := uint32(1); limit < n && i < 32; limit <<= 1 {
		i++
	}
	return i
}

// pread reads len(buf) bytes at off; a short read is errFallback (libdb
// has its own view of pages past the end of the file).
func (h *hashFile) pread(buf []byte, off int64) error {
	n, err := h.r.ReadAt(buf, off)
	switch {
	case n == len(buf):
		return nil
	case err == nil || err == io.EOF:
		return errFallback
	}
	return err
}

// sizedReaderAt is the file hashFile reads.
type sizedReaderAt interface {
	io.ReaderAt
	Size() (int64, error)
}

// fdReader reads a descriptor that someone else owns (libdb's) with
// pread(2).
type fdReader int

// Size returns the file's size.
func (fd fdReader) Size() (int64, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(int(fd), &st); err != nil {
		return 0, err
	}
	return st.Size, nil
}

// ReadAt implements io.ReaderAt.
func (fd fdReader) ReadAt(buf []byte, off int64) (int, error) {
	done := 0
	for done < len(buf) {
		n, err := syscall.Pread(int(fd), buf[done:], off+int64(done))
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return done, err
		case n == 0:
			return done, io.EOF
		}
		done += n
	}
	return done, nil
}

// refresh reads the metadata page. A file this reader cannot handle
// leaves it invalid (errFallback).
func (h *hashFile) refresh() error {
	h.valid = false
	var m [metaSize]byte
	if err := h.pread(m[:], 0); err != nil {
		return err
	}
	ps := le.Uint32(m[offPagesize:])
	switch {
	case le.Uint32(m[offMagic:]) != hashMagic, le.Uint32(m[offVersion:]) != hashVersion,
		m[offType] != pHashMeta, m[offEncrypt] != 0, m[offMetaflags] != 0, le.Uint32(m[offFlags:]) != 0,
		ps < metaSize || ps > 65536 || ps&(ps-1) != 0,
		le.Uint32(m[offCharkey:]) != fnvHash([]byte(charKey)):
		return errFallback
	}
	size, err := h.r.Size()
	if err != nil {
		return err
	}
	h.pagesize = ps
	h.lastPgno = le.Uint32(m[offLastPgno:])
	if int64(h.lastPgno) >= size/int64(ps) {
		return errFallback // pages libdb would find missing; bounds every walk
	}
	h.maxBkt = le.Uint32(m[offMaxBucket:])
	h.highMask = le.Uint32(m[offHighMask:])
	h.lowMask = le.Uint32(m[offLowMask:])
	for i := range h.spares {
		h.spares[i] = le.Uint32(m[offSpares+4*i:])
	}
	if len(h.buf) != int(ps) {
		h.buf, h.ovf = make([]byte, ps), make([]byte, ps)
	}
	h.valid = true
	return nil
}

// readPage reads page pgno into p, a page-sized buffer.
func (h *hashFile) readPage(p []byte, pgno uint32) error {
	if pgno == 0 || pgno > h.lastPgno {
		return errFallback
	}
	return h.pread(p, int64(pgno)*int64(h.pagesize))
}

// bucketPage makes page pgno h.page, from the cache or the file.
func (h *hashFile) bucketPage(pgno uint32) error {
	if h.cache != nil {
		if p, hit := h.cache.slot(pgno, len(h.buf)); p != nil {
			h.page = p
			if hit {
				return nil
			}
			err := h.readPage(p, pgno)
			h.cache.fill(pgno, err == nil)
			return err
		}
	}
	h.page = h.buf
	return h.readPage(h.buf, pgno)
}

// get returns the value stored under key, appended to buf[:0].
func (h *hashFile) get(key, buf []byte) (val []byte, found bool, err error) {
	if !h.valid {
		return nil, false, errFallback
	}
	hv := fnvHash(key)
	bucket := hv & h.highMask
	if bucket > h.maxBkt {
		bucket &= h.lowMask
	}
	pgno := bucket + h.spares[log2Ceil(bucket+1)]
	for hops := uint32(0); pgno != 0; hops++ {
		if hops > h.lastPgno {
			return nil, false, errFallback // a loop in the chain
		}
		if err := h.bucketPage(pgno); err != nil {
			return nil, false, err
		}
		v, found, err := h.searchPage(key, buf)
		if err != nil || found {
			return v, found, err
		}
		pgno = le.Uint32(h.page[offNextPgno:])
	}
	return nil, false, nil
}

// searchPage looks for key among the item pairs of the bucket page in
// h.page.
func (h *hashFile) searchPage(key, buf []byte) ([]byte, bool, error) {
	p := h.page
	t := p[offPageType]
	if t != pHash && t != pHashUnsorted {
		return nil, false, errFallback
	}
	n := int(le.Uint16(p[offEntries:]))
	if n%2 != 0 || pageHeaderSize+2*n > len(p) {
		return nil, false, errFallback
	}
	i, err := -1, errNotSorted
	if t == pHash {
		i, err = h.findSorted(key, n)
	}
	if err == errNotSorted {
		i, err = h.findLinear(key, n)
	}
	if err != nil || i < 0 {
		return nil, false, err
	}
	d, err := h.item(i + 1)
	if err != nil {
		return nil, false, err
	}
	switch d[0] {
	case hKeyData:
		return append(buf[:0], d[1:]...), true, nil
	case hOffPage:
		v, err := h.bigItem(d, buf)
		return v, err == nil, err
	}
	return nil, false, errFallback
}

// errNotSorted sends a search of a sorted page with off-page keys to the
// linear scan.
var errNotSorted = errors.New("page needs a linear scan")

// findSorted is the binary search of a sorted page (P_HASH), whose keys
// are in libdb's default order: bytewise, a prefix before the longer key.
// It returns the item index of the matching key, or -1.
func (h *hashFile) findSorted(key []byte, n int) (int, error) {
	lo, hi := 0, n/2
	for lo < hi {
		mid := (lo + hi) / 2
		k, err := h.item(2 * mid)
		if err != nil {
			return -1, err
		}
		if k[0] != hKeyData {
			return -1, errNotSorted
		}
		switch c := bytes.Compare(k[1:], key); {
		case c == 0:
			return 2 * mid, nil
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1, nil
}

// findLinear compares key with every key on the page, off-page ones
// included.
func (h *hashFile) findLinear(key []byte, n int) (int, error) {
	for i := 0; i < n; i += 2 {
		k, err := h.item(i)
		if err != nil {
			return -1, err
		}
		match := false
		switch k[0] {
		case hKeyData:
			match = bytes.Equal(k[1:], key)
		case hOffPage:
			if match, err = h.bigEquals(k, key); err != nil {
				return -1, err
			}
		default:
			return -1, errFallback
		}
		if match {
			return i, nil
		}
	}
	return -1, nil
}

// item returns the bytes of item i of h.page, its type byte first. An
// item runs from its offset to the start of the item before it (the page
// end for item 0).
func (h *hashFile) item(i int) ([]byte, error) {
	p := h.page
	off := int(le.Uint16(p[pageHeaderSize+2*i:]))
	end := len(p)
	if i > 0 {
		end = int(le.Uint16(p[pageHeaderSize+2*(i-1):]))
	}
	if off < pageHeaderSize || off >= end || end > len(p) {
		return nil, errFallback
	}
	return p[off:end], nil
}

// offPage decodes an H_OFFPAGE item: first overflow page and length.
func offPage(it []byte) (pgno, tlen uint32, err error) {
	if len(it) < 12 {
		return 0, 0, errFallback
	}
	return le.Uint32(it[4:]), le.Uint32(it[8:]), nil
}

// bigEquals compares key with an off-page key; the length decides most
// comparisons without a read.
func (h *hashFile) bigEquals(it, key []byte) (bool, error) {
	_, tlen, err := offPage(it)
	if err != nil || tlen != uint32(len(key)) {
		return false, err
	}
	v, err := h.bigItem(it, h.big)
	h.big = v
	if err != nil {
		return false, err
	}
	return bytes.Equal(v, key), nil
}

// bigItem reads an off-page item from its chain of overflow pages (into
// h.ovf, leaving the bucket page alone), appended to buf[:0].
func (h *hashFile) bigItem(it, buf []byte) ([]byte, error) {
	pgno, tlen, err := offPage(it)
	if err != nil {
		return nil, err
	}
	if uint64(tlen) > uint64(h.lastPgno)*uint64(h.pagesize) {
		return nil, errFallback
	}
	out := buf[:0]
	for hops := uint32(0); uint32(len(out)) < tlen; hops++ {
		if hops > h.lastPgno {
			return nil, errFallback
		}
		p := h.ovf
		if err := h.readPage(p, pgno); err != nil {
			return nil, err
		}
		n := int(le.Uint16(p[offHfOffset:]))
		if p[offPageType] != pOverflow || pageHeaderSize+n > len(p) {
			return nil, errFallback
		}
		out = append(out, p[pageHeaderSize:pageHeaderSize+n]...)
		pgno = le.Uint32(p[offNextPgno:])
	}
	if uint32(len(out)) != tlen {
		return nil, errFallback
	}
	return out, nil
}

// String describes the reader's view, for tests.
func (h *hashFile) String() string {
	return fmt.Sprintf("pagesize %d last %d buckets %d masks %#x/%#x", h.pagesize, h.lastPgno, h.maxBkt+1, h.highMask, h.lowMask)
}

package cdb

import (
	"bytes"
	"fmt"
	"os"
	"syscall"
)

// Reader looks keys up in a cdb file mapped into memory. It is safe for
// concurrent use.
type Reader struct {
	mem  []byte
	dend uint32 // end of the record area (start of the first hash table)
	mmap bool
	sink uint32 // what Prefetch read, kept so that its loads stay
}

// ErrFormat is the error for a damaged file, tinycdb's EPROTO.
var ErrFormat = syscall.EPROTO

// Open maps the file f (which may be closed afterwards).
func Open(f *os.File) (*Reader, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size < tocSize || size > 0xffffffff {
		return nil, ErrFormat
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mmap: %w", err)
	}
	r := NewReader(mem)
	r.mmap = true
	return r, nil
}

// NewReader reads a cdb held in memory. data must be at least 2048 bytes
// long (Open checks this; NewReader treats a shorter buffer as empty).
func NewReader(data []byte) *Reader {
	r := &Reader{mem: data}
	if len(data) < tocSize {
		r.mem = nil
		return r
	}
	dend := unpack(data)
	if dend < tocSize {
		dend = tocSize
	} else if uint64(dend) >= uint64(len(data)) {
		dend = uint32(len(data))
	}
	r.dend = dend
	return r
}

// Close unmaps the file.
func (r *Reader) Close() error {
	if r.mmap && r.mem != nil {
		err := syscall.Munmap(r.mem)
		r.mem = nil
		return err
	}
	r.mem = nil
	return nil
}

// Find returns the value of the first record with this key. found is
// false when there is none; err is ErrFormat for a damaged file.
func (r *Reader) Find(key []byte) (value []byte, found bool, err error) {
	var f Finder
	r.initFinder(&f, key)
	return f.Next()
}

// Finder walks all records with one key, in the order a lookup meets
// them.
type Finder struct {
	r      *Reader
	key    []byte
	hash   uint32
	htab   uint32 // position of the hash table
	slots  uint32
	next   uint32 // slot to look at next
	todo   uint32 // slots left to look at
	failed error
}

// FindAll prepares a walk over every record stored under key (more than
// one exists when the table was built in add mode, postmap -w).
func (r *Reader) FindAll(key []byte) *Finder {
	f := &Finder{}
	r.initFinder(f, key)
	return f
}

func (r *Reader) initFinder(f *Finder, key []byte) {
	f.r, f.key = r, key
	if r.mem == nil || uint64(len(key)) >= uint64(r.dend) {
		return
	}
	f.hash = Hash(key)
	toc := (f.hash << 3) & (tocSize - 1)
	n := unpack(r.mem[toc+4:])
	if n == 0 {
		return
	}
	pos := unpack(r.mem[toc:])
	size := uint64(len(r.mem))
	if uint64(n) > size>>3 || pos < r.dend || uint64(pos) > size || uint64(n)<<3 > size-uint64(pos) {
		f.failed = ErrFormat
		return
	}
	f.htab, f.slots, f.todo = pos, n, n
	f.next = (f.hash >> 8) % n
}

// Next returns the next record with the key.
func (f *Finder) Next() (value []byte, found bool, err error) {
	if f.failed != nil {
		return nil, false, f.failed
	}
	r := f.r
	for f.todo > 0 {
		slot := f.htab + f.next<<3
		f.todo--
		if f.next++; f.next == f.slots {
			f.next = 0
		}
		rpos := unpack(r.mem[slot+4:])
		if rpos == 0 {
			f.todo = 0
			return nil, false, nil
		}
		if unpack(r.mem[slot:]) != f.hash {
			continue
		}
		if r.dend < 8 || rpos > r.dend-8 {
			return nil, false, ErrFormat
		}
		klen := uint32(len(f.key))
		if unpack(r.mem[rpos:]) != klen {
			continue
		}
		if r.dend-klen < rpos+8 {
			return nil, false, ErrFormat
		}
		if !bytes.Equal(f.key, r.mem[rpos+8:rpos+8+klen]) {
			continue
		}
		vlen := unpack(r.mem[rpos+4:])
		vpos := rpos + 8 + klen
		if r.dend < vlen || r.dend-vlen < vpos {
			return nil, false, ErrFormat
		}
		return r.mem[vpos : vpos+vlen], true, nil
	}
	return nil, false, nil
}

// Walk calls fn for every record in file order (cdb -d). It stops at the
// first error fn returns, or with ErrFormat at a damaged record.
func (r *Reader) Walk(fn func(key, value []byte) error) error {
	pos := uint64(tocSize)
	for pos < uint64(r.dend) {
		if uint64(r.dend)-pos < 8 {
			return ErrFormat
		}
		klen, vlen := uint64(unpack(r.mem[pos:])), uint64(unpack(r.mem[pos+4:]))
		pos += 8
		if uint64(r.dend)-pos < klen || uint64(r.dend)-pos-klen < vlen {
			return ErrFormat
		}
		if err := fn(r.mem[pos:pos+klen], r.mem[pos+klen:pos+klen+vlen]); err != nil {
			return err
		}
		pos += klen + vlen
	}
	return nil
}

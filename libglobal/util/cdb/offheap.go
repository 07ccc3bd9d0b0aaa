package cdb

import (
	"syscall"
	"unsafe"
)

// The writer's index (8 bytes per record plus its duplicate-detection
// table) lives in anonymous memory mappings rather than on the Go heap:
// it is pointer-free and long-lived, and keeping it out of the heap keeps
// the garbage collector's heap goal, and so the peak memory of a
// million-record build, close to what tinycdb needs.

// mapped is one anonymous mapping.
type mapped []byte

func mapAnon(size int) (mapped, error) {
	if size == 0 {
		return nil, nil
	}
	return syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
}

func (m mapped) free() {
	if m != nil {
		syscall.Munmap(m)
	}
}

func (m mapped) recs() []rec {
	if len(m) == 0 {
		return nil
	}
	return unsafe.Slice((*rec)(unsafe.Pointer(&m[0])), len(m)/int(unsafe.Sizeof(rec{})))
}

func (m mapped) uint32s() []uint32 {
	if len(m) == 0 {
		return nil
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(&m[0])), len(m)/4)
}

// chunkRecs is the number of records per index chunk.
const chunkRecs = 1 << 16

// recIndex is a growable array of records made of fixed-size chunks, so
// growing never copies.
type recIndex struct {
	chunks []mapped
	n      int
}

func (x *recIndex) at(i int) *rec {
	return &x.chunks[i/chunkRecs].recs()[i%chunkRecs]
}

func (x *recIndex) add(r rec) error {
	if x.n%chunkRecs == 0 && x.n/chunkRecs == len(x.chunks) {
		m, err := mapAnon(chunkRecs * int(unsafe.Sizeof(rec{})))
		if err != nil {
			return err
		}
		x.chunks = append(x.chunks, m)
	}
	*x.at(x.n) = r
	x.n++
	return nil
}

func (x *recIndex) free() {
	for _, c := range x.chunks {
		c.free()
	}
	x.chunks, x.n = nil, 0
}

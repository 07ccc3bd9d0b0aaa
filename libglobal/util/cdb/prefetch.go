package cdb

// Prefetch brings into the CPU caches the memory that lookups of keys
// with the given hashes (Hash) will read: first the hash-table slot each
// one starts at, then the record the first slot with a matching hash
// points to. A lookup in a large file spends most of its time waiting
// for those two cache misses, one after the other; touching them for a
// batch of keys at a time lets the processor wait for many at once, so
// the lookups that follow find them in the cache. The result is only a
// hint: Prefetch reads nothing a lookup would not read, checks bounds as
// Find does and ignores what does not fit.
func (r *Reader) Prefetch(hashes []uint32) {
	if r.mem == nil {
		return
	}
	size := uint64(len(r.mem))
	var sink uint32
	// Stage one: the starting slots. The loads do not depend on each
	// other, so their misses overlap.
	for _, h := range hashes {
		if slot, ok := r.startSlot(h, size); ok {
			sink += uint32(r.mem[slot+4])
		}
	}
	// Stage two: the records (their slots are in the cache now), found
	// as Find finds them: the first slot with the same hash, before an
	// empty one.
	for _, h := range hashes {
		slot, ok := r.startSlot(h, size)
		for probes := 0; ok && probes < maxPrefetchProbes; probes++ {
			rpos := unpack(r.mem[slot+4:])
			if rpos == 0 {
				break
			}
			if unpack(r.mem[slot:]) == h {
				if rpos >= tocSize && rpos < r.dend {
					sink += uint32(r.mem[rpos])
				}
				break
			}
			slot, ok = r.nextSlot(h, slot)
		}
	}
	r.sink += sink
}

// maxPrefetchProbes bounds the slots Prefetch reads for one key.
const maxPrefetchProbes = 8

// nextSlot returns the slot after slot in the hash table that hash h
// selects, wrapping around at its end.
func (r *Reader) nextSlot(h, slot uint32) (uint32, bool) {
	toc := (h << 3) & (tocSize - 1)
	pos, n := unpack(r.mem[toc:]), unpack(r.mem[toc+4:])
	if slot += 8; slot >= pos+n<<3 {
		slot = pos
	}
	return slot, true
}

// startSlot returns the position of the first slot a lookup of hash h
// reads, when the table of contents points inside the file.
func (r *Reader) startSlot(h uint32, size uint64) (uint32, bool) {
	toc := (h << 3) & (tocSize - 1)
	n := unpack(r.mem[toc+4:])
	pos := unpack(r.mem[toc:])
	if n == 0 || pos < r.dend || uint64(n) > size>>3 || uint64(pos)+uint64(n)<<3 > size {
		return 0, false
	}
	return pos + ((h>>8)%n)<<3, true
}

// HashString is Hash of s, followed by a NUL byte when nul is set.
func HashString(s string, nul bool) uint32 {
	h := uint32(5381)
	for i := 0; i < len(s); i++ {
		h = ((h << 5) + h) ^ uint32(s[i])
	}
	if nul {
		h = (h << 5) + h
	}
	return h
}

// Package cdb reads and writes constant databases in the format of djb's
// cdb as produced by tinycdb, the library Postfix's cdb: tables use
// (src/util/dict_cdb.c, tinycdb 0.78). Files written here are byte for
// byte what "postmap cdb:FILE" writes for the same records in the same
// order, including tinycdb's duplicate-key modes (add, insert, replace).
//
// Layout: a 2048-byte table of contents of 256 (position, slots) pairs,
// the records (key length, value length, key, value) from offset 2048 in
// insertion order, then the 256 hash tables. All integers are
// little-endian uint32. A record lives in table hash&0xff; each table has
// twice as many slots as records; a record's probe starts at slot
// (hash>>8) % slots and moves forward, wrapping, to the first free slot.
//
// The reader checks every offset against the file size and reports a
// damaged file with syscall.EPROTO ("Protocol error"), as tinycdb does.
package cdb

// Hash is the cdb hash function: h = 5381, then h = (h*33) ^ c per byte.
func Hash(key []byte) uint32 {
	h := uint32(5381)
	for _, c := range key {
		h = ((h << 5) + h) ^ uint32(c)
	}
	return h
}

// tocSize is the size of the table of contents at the start of the file.
const tocSize = 2048

func unpack(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func pack(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

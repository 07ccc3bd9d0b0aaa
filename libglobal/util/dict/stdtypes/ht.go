package stdtypes

import (
	"crypto/rand"
	"encoding/binary"
	"os"

	"gopostfix/libglobal/util/dict"
)

// htable is Postfix's chained hash table (htable.c): buckets grow by
// doubling (size kept odd), new entries go to the head of their chain,
// and listing walks the buckets in order. Keeping the same structure and
// hash (a modified 64-bit FNV-1a whose basis is randomised unless
// NORANDOMIZE is set) makes "postmap -s" of inline and texthash tables
// list entries in the order Postfix does.
type htable struct {
	buckets []*htEntry
	used    int
	basis   uint64
}

type htEntry struct {
	key, value string
	next       *htEntry
}

const (
	fnvPrime = 0x00000100000001B3
	fnvBasis = 0xcbf29ce484222325
)

func newHTable() *htable {
	t := &htable{basis: fnvBasis}
	if os.Getenv("NORANDOMIZE") == "" {
		var seed [8]byte
		rand.Read(seed[:])
		t.basis ^= binary.LittleEndian.Uint64(seed[:])
	}
	t.buckets = make([]*htEntry, 13)
	return t
}

func (t *htable) hash(key string) int {
	h := t.basis
	for i := 0; i < len(key); i++ {
		h ^= 1 + uint64(key[i])
		h *= fnvPrime
	}
	return int(h % uint64(len(t.buckets)))
}

func (t *htable) find(key string) *htEntry {
	for e := t.buckets[t.hash(key)]; e != nil; e = e.next {
		if e.key == key {
			return e
		}
	}
	return nil
}

func (t *htable) link(e *htEntry) {
	b := t.hash(e.key)
	e.next = t.buckets[b]
	t.buckets[b] = e
	t.used++
}

func (t *htable) enter(key, value string) {
	if t.used >= len(t.buckets) {
		old := t.buckets
		t.buckets = make([]*htEntry, 2*len(old)|1)
		t.used = 0
		for _, e := range old {
			for e != nil {
				next := e.next
				t.link(e)
				e = next
			}
		}
	}
	t.link(&htEntry{key: key, value: value})
}

func (t *htable) remove(key string) bool {
	b := t.hash(key)
	for p := &t.buckets[b]; *p != nil; p = &(*p).next {
		if (*p).key == key {
			*p = (*p).next
			t.used--
			return true
		}
	}
	return false
}

func (t *htable) list() []*htEntry {
	out := make([]*htEntry, 0, t.used)
	for _, e := range t.buckets {
		for ; e != nil; e = e.next {
			out = append(out, e)
		}
	}
	return out
}

// htDict is the "internal" type (dict_ht.c): an in-memory table that
// texthash and inline build on.
type htDict struct {
	dict.Base
	t   *htable
	seq []*htEntry
}

func openHT(req dict.OpenRequest) (dict.Dict, error) {
	d := &htDict{t: newHTable()}
	d.Init(req, dict.FlagFixed)
	return d, nil
}

func newHT(req dict.OpenRequest, typ string) *htDict {
	// inline and texthash open an "internal" table in Postfix, which
	// dict_open logs with -v.
	req.Log().Debugf("dict_open: internal:%s", req.Name)
	d := &htDict{t: newHTable()}
	d.Init(req, dict.FlagFixed)
	d.SetType(typ)
	return d
}

func (d *htDict) Lookup(key string) (string, bool, error) {
	if e := d.t.find(d.FoldKey(key)); e != nil {
		return e.value, true, nil
	}
	return "", false, nil
}

func (d *htDict) Update(key, value string) error {
	key = d.FoldKey(key)
	if e := d.t.find(key); e != nil {
		e.value = value
		return nil
	}
	d.t.enter(key, value)
	return nil
}

func (d *htDict) Delete(key string) (bool, error) {
	return d.t.remove(d.FoldKey(key)), nil
}

func (d *htDict) Sequence(op dict.SeqOp) (string, string, bool, error) {
	if op == dict.SeqFirst {
		d.seq = d.t.list()
	}
	if len(d.seq) == 0 {
		return "", "", false, nil
	}
	e := d.seq[0]
	d.seq = d.seq[1:]
	return e.key, e.value, true, nil
}

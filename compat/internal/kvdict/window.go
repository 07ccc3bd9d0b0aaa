package kvdict

import (
	"bytes"
	"cmp"
	"slices"
	"unsafe"

	"gopostfix/libglobal/util/dict"
)

// A table build writes records in whatever order its source lists them,
// which for a source that is not sorted means a random walk over the
// file: Berkeley DB's hash pages and LMDB's B-tree pages are fetched,
// evicted and fetched again for nearly every record. The window holds
// the records of a build until a few megabytes have come together and
// writes them sorted the way the file is laid out (hash bucket order,
// key order), so that each flush sweeps the file once. What ends up in
// the table is unchanged: records with the same key keep their order
// (the first one stays, or the last one with FlagDupReplace), and the
// duplicate warnings of a flush come in the order of their records.
// Their place among other messages is the caller's business: it must
// flush before anything else is logged (see dict.UpdateBuffer).

// pendingRecord is one buffered update; its key and value are in
// window.buf at off (key bytes, then value bytes, NULs included).
type pendingRecord struct {
	off        uint32
	klen, vlen uint32
	rank       uint32 // the store's ordering of the key (Table.Order)
	seq        uint32 // arrival order, the tie-breaker
	nul        bool   // key and value carry a trailing NUL
	overwrite  bool
}

type window struct {
	limit int // bytes of buf before a flush
	buf   []byte
	recs  []pendingRecord
	kept  []*pendingRecord // FlushUpdates' duplicates
	// flushing is set while FlushUpdates runs: its own duplicate
	// warnings make the caller's logger ask for a flush again.
	flushing bool
	err      error // a flush outside Update/Close that must restart the build
}

func (w *window) key(r *pendingRecord) []byte { return w.buf[r.off : r.off+r.klen] }

func (w *window) value(r *pendingRecord) []byte {
	return w.buf[r.off+r.klen : r.off+r.klen+r.vlen]
}

// BufferUpdates implements dict.UpdateBuffer: with limit > 0, updates are
// collected up to about limit bytes and written sorted; with 0 what is
// collected is written and updates go straight to the store again.
// Without Reorder, updates are never buffered, nor when a duplicate key
// would be fatal (no FlagDup* flag): the table must not hold records
// from beyond that point.
func (t *Table) BufferUpdates(limit int) error {
	err := t.FlushUpdates()
	if limit <= 0 || !t.Reorder || t.Flags()&(dict.FlagDupWarn|dict.FlagDupIgnore|dict.FlagDupReplace) == 0 {
		t.win = nil
		return err
	}
	// Room for a full window from the start: growing by doubling would
	// leave up to twice the memory behind.
	t.win = &window{limit: limit, buf: make([]byte, 0, limit+4096), recs: make([]pendingRecord, 0, limit/40+16)}
	return err
}

// FlushUpdates implements dict.UpdateBuffer: the collected updates are
// written, in the store's order. The first failure ends the flush (the
// records after it are dropped: a build dies or starts over then).
func (t *Table) FlushUpdates() error {
	w := t.win
	if w == nil {
		return nil
	}
	if err := w.err; err != nil {
		w.err = nil
		return err
	}
	if len(w.recs) == 0 || w.flushing {
		return nil // nothing to do, or a message of this flush's
	}
	w.flushing = true
	defer func() { w.flushing = false }()
	if t.Order != nil {
		rank := t.Order()
		for i := range w.recs {
			w.recs[i].rank = rank(w.key(&w.recs[i]))
		}
		slices.SortFunc(w.recs, func(a, b pendingRecord) int {
			return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.seq, b.seq))
		})
	} else {
		slices.SortFunc(w.recs, func(a, b pendingRecord) int {
			return cmp.Or(bytes.Compare(w.key(&a), w.key(&b)), cmp.Compare(a.seq, b.seq))
		})
	}
	recs := w.recs
	w.recs = w.recs[:0]
	defer func() { w.buf = w.buf[:0] }()
	// Keys that were kept are warned about afterwards, in source order.
	kept := w.kept[:0]
	err := t.locked(dict.LockExclusive, func() error {
		for i := range recs {
			r := &recs[i]
			stored, err := t.Store.PutString(unsafeString(w.key(r)), unsafeString(w.value(r)), false, r.overwrite)
			if err != nil {
				return t.putResult(stored, err, "")
			}
			if !stored {
				kept = append(kept, r)
			}
		}
		return nil
	})
	w.kept = kept[:0]
	if err != nil {
		return err
	}
	slices.SortFunc(kept, func(a, b *pendingRecord) int { return cmp.Compare(a.seq, b.seq) })
	for _, r := range kept {
		k := w.key(r)
		if r.nul {
			k = k[:len(k)-1]
		}
		if err := t.putResult(false, nil, unsafeString(k)); err != nil {
			return err
		}
	}
	return t.sync()
}

// bufferUpdate adds one update to the window, flushing when it is full.
func (t *Table) bufferUpdate(key, value string, nul bool) error {
	w := t.win
	if w.err != nil {
		return t.FlushUpdates()
	}
	extra := 0
	if nul {
		extra = 1
	}
	r := pendingRecord{off: uint32(len(w.buf)), klen: uint32(len(key) + extra), vlen: uint32(len(value) + extra),
		seq: uint32(len(w.recs)), nul: nul, overwrite: t.Flags()&dict.FlagDupReplace != 0}
	w.buf = append(w.buf, key...)
	if nul {
		w.buf = append(w.buf, 0)
	}
	w.buf = append(w.buf, value...)
	if nul {
		w.buf = append(w.buf, 0)
	}
	w.recs = append(w.recs, r)
	if len(w.buf) >= w.limit || len(w.recs) == 1<<31 {
		return t.FlushUpdates()
	}
	return nil
}

// FlushLater records a failed flush that happened where nobody could be
// told (before a message was logged) for the next Update or Close.
func (t *Table) FlushLater(err error) {
	if t.win != nil && err != nil {
		t.win.err = err
	}
}

func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

package lmdb

import (
	"os"

	"gopostfix/libglobal/util/dict"
)

// sourceFactor bounds how much larger than its source file a new table
// gets: LMDB stores each record with a node header, a page index entry and
// two NUL bytes in pages that are one half to two thirds full. Typical
// tables need 2.5 times their source; the margin covers short lines.
const sourceFactor = 4

// Make opens NAME.lmdb for postmap and postalias (mkmap_lmdb.c). LMDB's
// transactions give readers the old or the new table, so there is no
// separate lock. A rebuild (O_TRUNC) runs in bulk mode, one transaction.
//
// Deliberate difference: Postfix starts a rebuild with lmdb_map_size and
// restarts it each time the map is full, doubling it. Here the map starts
// at the size those doublings would reach for a table sourceFactor times
// the size of the source file NAME (plus the current file, whose pages
// cannot be reused inside the transaction), so a build normally runs
// once; ErrRestart remains for tables that outgrow the estimate.
func Make(req dict.OpenRequest) (dict.Dict, error) {
	size := mapSize(req)
	if req.Mode&os.O_TRUNC != 0 {
		req.Flags |= dict.FlagBulkUpdate
		var need int64
		if st, err := os.Stat(req.Name); err == nil && st.Mode().IsRegular() {
			need += sourceFactor * st.Size()
		}
		if st, err := os.Stat(req.Name + ".lmdb"); err == nil {
			need += st.Size()
		}
		for size < need {
			size *= 2
		}
	}
	d, err := open(req, size)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Register adds the "lmdb" type to r, for lookups and for
// postmap/postalias.
func Register(r *dict.Registry) {
	r.Register("lmdb", Open)
	r.RegisterMaker("lmdb", Make)
}

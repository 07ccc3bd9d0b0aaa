package bdb

// pageCache keeps bucket pages that hashFile read during one batch of
// lookups, up to limit bytes (berkeley_db_read_buffer_size, the size of
// libdb's own pool for lookups), so that small tables are read once per
// batch. It is direct-mapped: page n can only live in slot n modulo the
// number of slots, which costs nothing to look up. clear forgets every
// page when a new batch begins.
type pageCache struct {
	limit int
	pages [][]byte
	pgnos []uint32
	gens  []uint64 // the generation each slot was filled in
	gen   uint64   // the current generation; 0 means empty
}

func (c *pageCache) clear() { c.gen++ }

// slot returns the buffer for page pgno and whether it already holds the
// page in this generation; nil when the cache is too small for even one
// page. A caller that fills the buffer marks it with fill.
func (c *pageCache) slot(pgno uint32, pagesize int) (p []byte, hit bool) {
	n := c.limit / pagesize
	if n == 0 {
		return nil, false
	}
	if len(c.pages) != n || len(c.pages[0]) != pagesize {
		c.pages = make([][]byte, n)
		for i := range c.pages {
			c.pages[i] = make([]byte, pagesize)
		}
		c.pgnos, c.gens = make([]uint32, n), make([]uint64, n)
	}
	i := pgno % uint32(n)
	return c.pages[i], c.gen != 0 && c.gens[i] == c.gen && c.pgnos[i] == pgno
}

// fill records that pgno's slot holds the page (ok) or nothing (a failed
// read).
func (c *pageCache) fill(pgno uint32, ok bool) {
	i := pgno % uint32(len(c.pages))
	c.pgnos[i], c.gens[i] = pgno, 0
	if ok {
		c.gens[i] = c.gen
	}
}

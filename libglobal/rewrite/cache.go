package rewrite

import "time"

// cache keeps the latest rewrite answers for a while, oldest out first.
type cache struct {
	max     int
	ttl     time.Duration
	now     func() time.Time
	entries []cacheEntry
}

type cacheEntry struct {
	context, addr, result string
	expires               time.Time
}

func newCache(n int, ttl time.Duration, now func() time.Time) *cache {
	if n < 1 {
		n = 1
	}
	return &cache{max: n, ttl: ttl, now: now}
}

// get returns a fresh answer for (context, addr).
func (c *cache) get(context, addr string) (string, bool) {
	if c == nil {
		return "", false
	}
	now := c.now()
	for _, e := range c.entries {
		if e.addr == addr && e.context == context && now.Before(e.expires) {
			return e.result, true
		}
	}
	return "", false
}

// put remembers an answer, replacing an older one for the same request.
func (c *cache) put(context, addr, result string) {
	if c == nil {
		return
	}
	for i, e := range c.entries {
		if e.addr == addr && e.context == context {
			c.entries = append(c.entries[:i], c.entries[i+1:]...)
			break
		}
	}
	if len(c.entries) >= c.max {
		c.entries = c.entries[1:]
	}
	c.entries = append(c.entries, cacheEntry{context, addr, result, c.now().Add(c.ttl)})
}

package main

import (
	"sync"
	"syscall"
	"time"

	"gopostfix/libglobal/util/msg"
)

// session is one cached connection under an endpoint label.
type session struct {
	fd    int
	prop  string
	timer *time.Timer
}

// binding is one destination -> endpoint association.
type binding struct {
	endp  string
	prop  string
	timer *time.Timer
}

// cache is scache_multi: lists are kept oldest first, and a list that
// becomes empty is removed from its table.
type cache struct {
	mu       sync.Mutex
	log      *msg.Logger
	endps    map[string][]*session
	dests    map[string][]*binding
	sessions int
}

func newCache(log *msg.Logger) *cache {
	return &cache{log: log, endps: map[string][]*session{}, dests: map[string][]*binding{}}
}

// saveEndp caches fd under label for ttl.
func (c *cache) saveEndp(ttl time.Duration, label, prop string, fd int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := &session{fd: fd, prop: prop}
	c.endps[label] = append(c.endps[label], s)
	c.sessions++
	s.timer = time.AfterFunc(ttl, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.dropSession(label, s) {
			c.closeFd(s.fd)
		}
	})
}

// findEndp takes the oldest session of label out of the cache; -1 when
// there is none.
func (c *cache) findEndp(label string) (int, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.takeEndp(label)
}

func (c *cache) takeEndp(label string) (int, string) {
	list := c.endps[label]
	if len(list) == 0 {
		return -1, ""
	}
	s := list[0]
	s.timer.Stop()
	c.dropSession(label, s)
	return s.fd, s.prop
}

// dropSession removes s from its list; false when it was gone already.
func (c *cache) dropSession(label string, s *session) bool {
	list := c.endps[label]
	for i, x := range list {
		if x == s {
			list = append(list[:i:i], list[i+1:]...)
			if len(list) == 0 {
				delete(c.endps, label)
			} else {
				c.endps[label] = list
			}
			c.sessions--
			return true
		}
	}
	return false
}

func (c *cache) closeFd(fd int) {
	if err := syscall.Close(fd); err != nil {
		c.log.Warnf("scache_multi_drop_endp: close(%d): %v", fd, err)
	}
}

// saveDest binds dest to endp for ttl; an existing identical binding only
// gets its time to live renewed.
func (c *cache) saveDest(ttl time.Duration, dest, prop, endp string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b *binding
	for _, x := range c.dests[dest] {
		if x.endp == endp && x.prop == prop {
			b = x
			b.timer.Stop()
			break
		}
	}
	if b == nil {
		b = &binding{endp: endp, prop: prop}
		c.dests[dest] = append(c.dests[dest], b)
	}
	b.timer = time.AfterFunc(ttl, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.dropBinding(dest, b)
	})
}

func (c *cache) dropBinding(dest string, b *binding) {
	list := c.dests[dest]
	for i, x := range list {
		if x == b {
			list = append(list[:i:i], list[i+1:]...)
			if len(list) == 0 {
				delete(c.dests, dest)
			} else {
				c.dests[dest] = list
			}
			return
		}
	}
}

// findDest takes a session of the first endpoint bound to dest that has
// one; -1 when there is none.
func (c *cache) findDest(dest string) (fd int, destProp, endpProp string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range c.dests[dest] {
		if fd, prop := c.takeEndp(b.endp); fd >= 0 {
			return fd, b.prop, prop
		}
	}
	return -1, "", ""
}

// size reports the number of destinations, endpoints and sessions.
func (c *cache) size() (dests, endps, sessions int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.dests), len(c.endps), c.sessions
}

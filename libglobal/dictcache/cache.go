// Package dictcache is a lookup table used as a cache by long-running
// daemons (verify's address_verify_map, postscreen's
// postscreen_cache_map): Postfix's src/util/dict_cache.c, with the
// data_directory redirection of src/global/data_redirect.c for the tables
// such caches write.
//
// Deliberate difference: the cleanup scan runs in its own goroutine; each
// step takes the cache's lock, so it is serialised with the daemon's own
// use of the cache.
package dictcache

import (
	"strconv"
	"sync"
	"time"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// lastCleanupKey holds the time the last full cleanup scan ended; it is
// hidden from sequence walks (DC_LAST_CACHE_CLEANUP_COMPLETED).
const lastCleanupKey = "_LAST_CACHE_CLEANUP_COMPLETED_"

// Cache is Postfix's dict_cache(3): a table used as a cache, with a
// cleanup scan that walks it one entry per step and deletes what the
// validator rejects. An entry is deleted only after the walk has moved
// past it ("delete behind"), so that the table's cursor stays valid; until
// then lookups pretend it is gone. Warnings about table errors are
// limited to one per second per kind of operation.
//
// Every method takes mu: the cleanup goroutine and the request handler
// share the table.
type Cache struct {
	mu   sync.Mutex
	name string // "type:name" as opened
	db   dict.Dict
	log  *msg.Logger
	// Now is the clock (time.Now; tests replace it).
	Now func() time.Time

	curKey, curVal string
	haveCur        bool
	deleteBehind   bool

	interval  time.Duration
	validate  func(key, value string, now time.Time) bool
	stats     bool
	retained  int
	dropped   int
	stop      chan struct{}
	done      chan struct{}
	logStamps [4]time.Time // update, lookup, delete, sequence
}

const (
	logUpdate = iota
	logLookup
	logDelete
	logSequence
)

// New makes a cache of the open table db, named name ("type:name") in
// messages; warnings go to log.
func New(name string, db dict.Dict, log *msg.Logger) *Cache {
	return &Cache{name: name, db: db, log: log, Now: time.Now}
}

// Name is the table's "type:name".
func (c *Cache) Name() string { return c.name }

// warn is msg_rate_delay with one second between warnings of one kind.
func (c *Cache) warn(kind int, format string, args ...any) {
	now := c.Now()
	if now.Sub(c.logStamps[kind]) >= time.Second {
		c.logStamps[kind] = now
		c.log.Warnf(format, args...)
	}
}

// Lookup returns the value of key; ok is false when it is absent, err
// when the table failed (dict_cache_lookup).
func (c *Cache) Lookup(key string) (string, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.deleteBehind && c.haveCur && c.curKey == key {
		return "", false, nil
	}
	v, ok, err := c.db.Lookup(key)
	if err != nil {
		c.warn(logLookup, "%s: cache lookup for '%s' failed due to error", c.name, key)
	}
	return v, ok, err
}

// Update stores key=value (dict_cache_update); it cancels a pending
// delete of the same key.
func (c *Cache) Update(key, value string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.deleteBehind && c.haveCur && c.curKey == key {
		c.deleteBehind = false
	}
	err := c.db.Update(key, value)
	if err != nil {
		c.warn(logUpdate, "%s: could not update entry for %s", c.name, key)
	}
	return err
}

// Delete removes key (dict_cache_delete); the entry under the cleanup
// cursor is only marked for deletion.
func (c *Cache) Delete(key string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.haveCur && c.curKey == key {
		c.deleteBehind = true
		return nil
	}
	ok, err := c.db.Delete(key)
	if !ok || err != nil {
		c.warn(logDelete, "%s: could not delete entry for %s", c.name, key)
	}
	return err
}

// sequence moves the cleanup cursor (dict_cache_sequence), skipping the
// time stamp entry and carrying out a pending delete of the previous
// entry. Called with mu held.
func (c *Cache) sequence(op dict.SeqOp) (string, string, bool, error) {
	k, v, ok, err := c.db.Sequence(op)
	if ok && err == nil && k == lastCleanupKey {
		k, v, ok, err = c.db.Sequence(dict.SeqNext)
	}
	if err != nil {
		c.warn(logSequence, "%s: sequence error", c.name)
	}
	prevKey, prevHad := c.curKey, c.haveCur
	if ok && err == nil {
		c.curKey, c.curVal, c.haveCur = k, v, true
	} else {
		c.curKey, c.curVal, c.haveCur = "", "", false
	}
	if err == nil && c.deleteBehind {
		c.deleteBehind = false
		if prevHad {
			if found, derr := c.db.Delete(prevKey); !found || derr != nil {
				c.warn(logDelete, "%s: could not delete entry for %s", c.name, prevKey)
			}
		}
	}
	return k, v, ok && err == nil, err
}

// StartCleanup schedules cleanup scans every interval (dict_cache_control
// with an interval and a validator). The first scan starts when the
// previous one recorded in the table is one interval old. Without run
// the time is worked out but no scan ever starts, as in a one-shot
// server whose event loop never runs.
func (c *Cache) StartCleanup(interval time.Duration, validate func(key, value string, now time.Time) bool, stats, run bool) {
	c.mu.Lock()
	c.interval, c.validate, c.stats = interval, validate, stats
	next := time.Duration(0)
	if last, ok, err := c.db.Lookup(lastCleanupKey); ok && err == nil {
		stamp, _ := strconv.ParseInt(last, 10, 64)
		next = time.Unix(stamp, 0).Add(interval).Sub(c.Now())
	}
	next = min(max(next, 0), interval)
	if !run {
		c.mu.Unlock()
		return
	}
	c.stop, c.done = make(chan struct{}), make(chan struct{})
	if next == 0 {
		// A scan that is due starts before the first request, as
		// Postfix's zero-delay timer runs before the event loop
		// looks at its sockets: an empty cache is reported clean
		// ("retained=0") before any entry is added.
		next = c.cleanStep()
	}
	c.mu.Unlock()
	go c.cleanupLoop(next)
}

func (c *Cache) cleanupLoop(wait time.Duration) {
	defer close(c.done)
	for {
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-c.stop:
				t.Stop()
				return
			case <-t.C:
			}
		} else {
			select {
			case <-c.stop:
				return
			default:
			}
		}
		c.mu.Lock()
		wait = c.cleanStep()
		c.mu.Unlock()
	}
}

// cleanStep examines one entry (dict_cache_clean_event) and returns the
// time until the next step.
func (c *Cache) cleanStep() time.Duration {
	op := dict.SeqNext
	if !c.haveCur {
		c.retained, c.dropped = 0, 0
		op = dict.SeqFirst
	}
	k, v, ok, err := c.sequence(op)
	switch {
	case ok:
		if !c.validate(k, v, c.Now()) {
			c.deleteBehind = true
			c.dropped++
		} else {
			c.retained++
		}
		return 0
	case err != nil:
		c.log.Warnf("%s: cache cleanup scan terminated due to error", c.name)
		c.statLog("partial")
		return c.interval
	}
	c.statLog("full")
	c.db.Update(lastCleanupKey, strconv.FormatInt(c.Now().Unix(), 10))
	return c.interval
}

func (c *Cache) statLog(how string) {
	if c.stats {
		c.log.Infof("cache %s %s cleanup: retained=%d dropped=%d entries", c.name, how, c.retained, c.dropped)
	}
	c.retained, c.dropped = 0, 0
}

// Close stops a running cleanup (logging its partial statistics) and
// closes the table (dict_cache_close).
func (c *Cache) Close() {
	if c.stop != nil {
		close(c.stop)
		<-c.done
		c.stop = nil
		c.mu.Lock()
		if c.retained > 0 || c.dropped > 0 {
			c.statLog("partial")
		}
		c.deleteBehind, c.haveCur = false, false
		c.mu.Unlock()
	}
	c.db.Close()
}

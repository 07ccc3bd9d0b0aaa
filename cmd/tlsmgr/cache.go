package main

import (
	"encoding/binary"
	"encoding/hex"
	"os"
	"strings"
	"time"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// cache is one TLS session cache (tls_scache).
type cache struct {
	label   string
	timeout time.Duration // 0 when caching is off
	db      dict.Dict     // nil when not enabled
	log     *msg.Logger
}

// open opens the table, emptied, as tls_scache_open does.
func (c *cache) open(reg *dict.Registry, spec string) error {
	d, err := reg.Open(spec, os.O_RDWR|os.O_CREATE|os.O_TRUNC, dict.FlagDupReplace|dict.FlagOpenLock|dict.FlagSyncUpdate)
	if err != nil {
		return err
	}
	c.db = d
	return nil
}

// encode is the stored form: the creation time (8 bytes, host order) and
// the session, in upper-case hex (tls_scache_encode).
func encode(now time.Time, session []byte) string {
	b := make([]byte, 8+len(session))
	binary.LittleEndian.PutUint64(b, uint64(now.Unix()))
	copy(b[8:], session)
	return strings.ToUpper(hex.EncodeToString(b))
}

// decode checks an entry and returns its session; false when it is
// damaged or expired (tls_scache_decode).
func (c *cache) decode(id, value string) ([]byte, bool) {
	if len(value) < 16 {
		c.log.Warnf("%s TLS cache: truncated entry for %s: %.100s", c.label, id, value)
		return nil, false
	}
	b, err := hex.DecodeString(strings.ReplaceAll(value, ":", ""))
	if err != nil {
		c.log.Warnf("%s TLS cache: malformed entry for %s: %.100s", c.label, id, value)
		return nil, false
	}
	created := int64(binary.LittleEndian.Uint64(b))
	if created+int64(c.timeout/time.Second) < time.Now().Unix() {
		return nil, false
	}
	return b[8:], true
}

// lookup finds a live session; a damaged or expired one is removed.
func (c *cache) lookup(id string) ([]byte, bool) {
	v, ok, err := c.db.Lookup(id)
	if err != nil || !ok {
		return nil, false
	}
	s, ok := c.decode(id, v)
	if !ok {
		c.db.Delete(id)
	}
	return s, ok
}

func (c *cache) update(id string, session []byte) bool {
	return c.db.Update(id, encode(time.Now(), session)) == nil
}

func (c *cache) remove(id string) bool {
	ok, err := c.db.Delete(id)
	return err == nil && ok
}

// cleanup removes every expired or damaged entry.
func (c *cache) cleanup() {
	var stale []string
	op := dict.SeqFirst
	for {
		k, v, ok, err := c.db.Sequence(op)
		if err != nil || !ok {
			break
		}
		op = dict.SeqNext
		if _, live := c.decode(k, v); !live {
			stale = append(stale, k)
		}
	}
	for _, k := range stale {
		c.db.Delete(k)
	}
}

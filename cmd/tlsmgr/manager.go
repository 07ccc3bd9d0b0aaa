package main

import (
	"fmt"
	"os"
	"sync"
	"time"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/util/eugid"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// sessionLifeMin is the shortest cache timeout (TLS_SESSION_LIFEMIN).
const sessionLifeMin = 120 * time.Second

// cacheTypes are the session caches, in Postfix's table order.
var cacheTypes = []string{"smtpd", "smtp", "lmtp"}

// manager is the tlsmgr state; requests are serialized by the skeleton,
// the timers take mu.
type manager struct {
	mu       sync.Mutex
	log      *msg.Logger
	caches   map[string]*cache // every type; db nil when not enabled
	keys     ticketKeys
	buf      []byte // the DATA buffer shared by the requests
	prng     *prngExchange
	prngTime time.Duration
}

// newManager opens the PRNG exchange file and the session caches with
// the mail system owner's identity (tlsmgr_pre_init).
func newManager(s *libmaster.Server) (*manager, error) {
	m := &manager{log: s.Log, caches: map[string]*cache{}}
	uid, gid := s.Global.OwnerUID, s.Global.OwnerGID
	var openErr error
	as := func(fn func()) {
		if os.Geteuid() == 0 {
			eugid.As(uid, gid, fn)
		} else {
			fn()
		}
	}
	as(func() { openErr = m.open(s) })
	return m, openErr
}

func (m *manager) open(s *libmaster.Server) error {
	if name := s.Str("tls_random_exchange_name"); name != "" {
		p, err := openExchange(name)
		if err != nil {
			return err
		}
		m.prng = p
		m.prngTime = s.Time("tls_random_prng_update_period")
	}
	reg := maptypes.NewRegistry(s.Log)
	seen := map[string]string{}
	for _, t := range cacheTypes {
		c := &cache{label: t, log: m.log}
		if c.timeout = s.Time(t + "_tls_session_cache_timeout"); c.timeout > 0 && c.timeout < sessionLifeMin {
			c.timeout = sessionLifeMin
		}
		if db := s.Str(t + "_tls_session_cache_database"); c.timeout > 0 && db != "" {
			if other, dup := seen[db]; dup {
				return fmt.Errorf("do not use the same TLS cache file %s for %s and %s", db, other, t)
			}
			seen[db] = t
			if err := c.open(reg, db); err != nil {
				return err
			}
		}
		m.caches[t] = c
	}
	return nil
}

// start begins the periodic work: the PRNG exchange file update and the
// cache cleanups (tlsmgr_post_init).
func (m *manager) start() {
	if m.prng != nil {
		m.every(m.prngTime, func() { m.prng.update(m.log) })
	}
	for _, t := range cacheTypes {
		if c := m.caches[t]; c.db != nil {
			m.every(c.timeout, c.cleanup)
		}
	}
}

// every runs fn now and then every period, under the manager's lock.
func (m *manager) every(period time.Duration, fn func()) {
	var tick func()
	tick = func() {
		m.mu.Lock()
		fn()
		m.mu.Unlock()
		time.AfterFunc(period, tick)
	}
	tick()
}

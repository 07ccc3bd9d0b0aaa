package main

import (
	"sync"
	"time"

	"gopostfix/libglobal/util/msg"
)

// stats are the counters scache logs and resets every
// connection_cache_status_update_time and at exit.
type stats struct {
	mu                        sync.Mutex
	log                       *msg.Logger
	cache                     *cache
	destHits, destMiss        int
	endpHits, endpMiss        int
	destMax, endpMax, sessMax int
	begin                     time.Time
}

func newStats(log *msg.Logger, c *cache) *stats {
	return &stats{log: log, cache: c, begin: time.Now()}
}

// start logs the statistics every interval.
func (s *stats) start(interval time.Duration) {
	var tick func()
	tick = func() {
		s.dump()
		time.AfterFunc(interval, tick)
	}
	time.AfterFunc(interval, tick)
}

// add counts one hit or miss.
func (s *stats) add(counter *int) {
	s.mu.Lock()
	*counter++
	s.mu.Unlock()
}

// sizes remembers the largest table sizes seen.
func (s *stats) sizes() {
	d, e, n := s.cache.size()
	s.mu.Lock()
	s.destMax, s.endpMax, s.sessMax = max(s.destMax, d), max(s.endpMax, e), max(s.sessMax, n)
	s.mu.Unlock()
}

// dump logs and resets the counters (scache_status_dump).
func (s *stats) dump() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.destHits+s.destMiss+s.endpHits+s.endpMiss+s.destMax+s.endpMax+s.sessMax > 0 {
		s.log.Infof("statistics: start interval %s", s.begin.Format("Jan _2 15:04:05"))
	}
	if s.destHits+s.destMiss > 0 {
		s.log.Infof("statistics: domain lookup hits=%d miss=%d success=%d%%",
			s.destHits, s.destMiss, s.destHits*100/(s.destHits+s.destMiss))
		s.destHits, s.destMiss = 0, 0
	}
	if s.endpHits+s.endpMiss > 0 {
		s.log.Infof("statistics: address lookup hits=%d miss=%d success=%d%%",
			s.endpHits, s.endpMiss, s.endpHits*100/(s.endpHits+s.endpMiss))
		s.endpHits, s.endpMiss = 0, 0
	}
	if s.destMax+s.endpMax+s.sessMax > 0 {
		s.log.Infof("statistics: max simultaneous domains=%d addresses=%d connection=%d",
			s.destMax, s.endpMax, s.sessMax)
		s.destMax, s.endpMax, s.sessMax = 0, 0, 0
	}
	s.begin = time.Now()
}

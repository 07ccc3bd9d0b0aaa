package main

import "time"

// Postscreen serves every client from one process, so a slow table
// delays them all. Like Postfix's postscreen it times its lookups and
// complains when the running average of one kind of lookup exceeds
// latencyThreshold, at most once per latencyLockout for all kinds.
const (
	latencyThreshold = 100 * time.Millisecond
	latencyLockout   = 60 * time.Second
)

// lookupKind is one wrapped lookup function (psc_cache_lookup,
// psc_dict_get, ...) with its running average in milliseconds.
type lookupKind struct {
	name string
	avg  float64
}

// latencyWatch holds the averages and the shared warning lock-out.
type latencyWatch struct {
	cacheLookup, cacheUpdate, dictGet, mapsFind lookupKind
	lastWarn                                    time.Time
}

func newLatencyWatch() *latencyWatch {
	return &latencyWatch{
		cacheLookup: lookupKind{name: "psc_cache_lookup"},
		cacheUpdate: lookupKind{name: "psc_cache_update"},
		dictGet:     lookupKind{name: "psc_dict_get"},
		mapsFind:    lookupKind{name: "psc_maps_find"},
	}
}

// timed runs fn, a lookup of kind k in table (action "lookup" or
// "update"), and warns when the kind's average delay is too high.
func (sc *screen) timed(k *lookupKind, table, action string, fn func()) {
	before := time.Now()
	fn()
	after := time.Now()
	ms := float64(after.Sub(before)) / float64(time.Millisecond)
	k.avg = 0.1*ms + 0.9*k.avg
	w := sc.latency
	if k.avg > float64(latencyThreshold/time.Millisecond) && w.lastWarn.Unix() < after.Unix()-int64(latencyLockout/time.Second) {
		sc.log.Warnf("%s: %s %s average delay is %.0f ms", k.name, table, action, k.avg)
		w.lastWarn = after
	}
}

package main

import (
	"time"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// flusher is the fast flush server's state: its configuration, read once.
type flusher struct {
	log     *msg.Logger
	layout  *queue.Layout
	domains *maps.MatchList // fast_flush_domains
	refresh time.Duration   // fast_flush_refresh_time
	purge   time.Duration   // fast_flush_purge_time
	qmgr    string          // queue_service_name
	trigTO  time.Duration   // trigger_timeout
	now     func() time.Time
}

// newFlusher reads the parameters flush uses (pre_jail_init: the domain
// list is opened before the chroot).
func newFlusher(s *libmaster.Server) (*flusher, error) {
	layout, err := queue.NewLayout("", s.Config)
	if err != nil {
		return nil, err
	}
	reg := maptypes.NewRegistry(s.Log)
	reg.Params = s.Config.Param
	list, err := maps.NewMatchList(reg, "fast_flush_domains", s.Str("fast_flush_domains"), maps.DomainList,
		maps.ParentMatches(s.Str("parent_domain_matches_subdomains"), "fast_flush_domains"), s.Log)
	if err != nil {
		return nil, err
	}
	return &flusher{log: s.Log, layout: layout, domains: list,
		refresh: s.Time("fast_flush_refresh_time"), purge: s.Time("fast_flush_purge_time"),
		qmgr: s.Str("queue_service_name"), trigTO: s.Time("trigger_timeout"), now: time.Now}, nil
}

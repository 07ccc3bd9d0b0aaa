package main

import (
	"sync"
	"time"

	"gopostfix/libglobal/dictcache"
	"gopostfix/libglobal/logevent"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// screen is the postscreen process: configuration, tables and the state
// that sessions share. Postfix runs all of this in one event loop; here
// every event handler (a client read, a timer, a dnsblog reply) runs with
// mu held, so handlers see the same serialized world.
type screen struct {
	mu  sync.Mutex
	srv *libmaster.Server
	log *msg.Logger
	cfg *config
	reg *dict.Registry

	checkQueue int // sessions being screened (psc_check_queue_length)
	postQueue  int // sessions being handed to smtpd (psc_post_queue_length)
	stress     bool
	ipv4, ipv6 bool // inet_protocols
	clients    map[string]*clientInfo

	cache       *dictcache.Cache
	acl         *accessList
	allowlistIf *maps.MatchList
	forbidden   *maps.MatchList
	ehloMaps    *maps.Maps
	footerMaps  *maps.Maps // smtpd_reject_footer_maps, nil when empty
	latency     *latencyWatch
	ehloMask    int
	cmdFilter   dict.Dict
	dnsbl       *dnsblSites
	scores      map[string]*dnsblScore
	requests    int // dnsblog request counter

	ehloPlain, ehloTLS string
	dnsblReply         dict.Dict        // postscreen_dnsbl_reply_map, while starting
	addrForm           *logevent.Logger // info_log_address_format
}

// clientInfo is the per-address state sessions of one client share:
// their count and the test expiration times (PSC_CLIENT_INFO).
type clientInfo struct {
	concurrency  int
	passNewCount int
	expire       [tCount]int64
}

// Special expiration times.
const (
	stampNew      = 0  // the test was never passed
	stampDisabled = 1  // never passed, and disabled when the entry was written
	stampInvalid  = -1 // must not be cached
)

// greetWait and cmdTimeLimit are the stress-dependent limits.
func (sc *screen) greetWait() time.Duration {
	if sc.stress {
		return time.Duration(sc.cfg.greetWaitStress) * time.Second
	}
	return time.Duration(sc.cfg.greetWaitNormal) * time.Second
}

func (sc *screen) cmdTimeLimit() time.Duration {
	if sc.stress {
		return time.Duration(sc.cfg.cmdTimeStress) * time.Second
	}
	return time.Duration(sc.cfg.cmdTimeNormal) * time.Second
}

// now is event_time(): seconds since the epoch.
func now() int64 { return time.Now().Unix() }

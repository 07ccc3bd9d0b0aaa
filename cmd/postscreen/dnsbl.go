package main

import (
	"fmt"
	"math"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopostfix/libglobal/dns"
	"gopostfix/libglobal/postscreen"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/ipmatch"
)

// noScore marks a session whose DNSBL score was not collected yet.
const noScore = math.MaxInt

// dnsblSite is one (filter, weight) entry of a DNSBL domain.
type dnsblSite struct {
	filter *ipmatch.Filter // nil: any reply counts
	weight int
}

// dnsblDomain groups the entries of one domain; safe is the name
// shown to clients (from postscreen_dnsbl_reply_map, else the domain).
type dnsblDomain struct {
	name  string
	safe  string
	sites []dnsblSite // newest first, as Postfix links them
}

// dnsblSites is postscreen_dnsbl_sites parsed (psc_dnsbl_init).
type dnsblSites struct {
	byName map[string]*dnsblDomain
	order  []*dnsblDomain
}

// parseDNSBLSites parses "domain[=filter][*weight]" entries; a negative
// weight allowlists.
func parseDNSBLSites(sites string, reply dict.Dict) (*dnsblSites, error) {
	d := &dnsblSites{byName: map[string]*dnsblDomain{}}
	for _, site := range strings.FieldsFunc(sites, func(r rune) bool { return strings.ContainsRune(dict.CommaSpace, r) }) {
		name, weight := site, 1
		if i := strings.IndexByte(name, '*'); i >= 0 {
			w, ok := scanWeight(name[i+1:])
			if !ok {
				return nil, fmt.Errorf("bad DNSBL weight factor \"%s\" in \"%s\"", name[i+1:], site)
			}
			name, weight = name[:i], w
		}
		var filter *ipmatch.Filter
		if i := strings.IndexByte(name, '='); i >= 0 {
			f, err := ipmatch.Parse(name[i+1:])
			if err != nil {
				return nil, fmt.Errorf("bad DNSBL filter syntax: %v", err)
			}
			name, filter = name[:i], f
		}
		if !dns.ValidHostname(name) || strings.Contains(name, "*") {
			return nil, fmt.Errorf("bad DNSBL domain name \"%s\" in \"%s\"", name, site)
		}
		dom := d.byName[name]
		if dom == nil {
			dom = &dnsblDomain{name: name, safe: name}
			if reply != nil {
				v, found, err := reply.Lookup(name)
				if err != nil {
					return nil, fmt.Errorf("%s lookup error", reply.Type()+":"+reply.Name())
				}
				if found {
					dom.safe = v
				}
			}
			d.byName[name] = dom
			d.order = append(d.order, dom)
		}
		dom.sites = append([]dnsblSite{{filter: filter, weight: weight}}, dom.sites...)
	}
	return d, nil
}

// scanWeight is sscanf("%d%c") == 1: an optionally signed decimal
// number after optional white space, and nothing after it.
func scanWeight(s string) (int, bool) {
	v, err := strconv.ParseInt(strings.TrimLeft(s, " \t\n\r\f\v"), 10, 32)
	return int(v), err == nil
}

// dnsblScore is the combined score of one client address, shared by its
// overlapping sessions and reference counted (PSC_DNSBL_SCORE).
type dnsblScore struct {
	name      string // the domain with the largest contribution
	weight    int
	total     int
	failTTL   int
	passTTL   int
	refcount  int
	pending   int
	requestID int
	waiters   []*dnsblWaiter
}

// dnsblWaiter is a session waiting for a score; a nil fn is cancelled.
type dnsblWaiter struct {
	s  *session
	fn func()
}

// request starts the DNSBL lookups of a client, or joins the ones in
// progress, and registers fn to run when all replies are in
// (psc_dnsbl_request). It returns the waiter index for retrieve.
func (sc *screen) dnsblRequest(s *session, fn func()) int {
	addr := s.clientAddr
	if score := sc.scores[addr]; score != nil {
		score.refcount++
		score.waiters = append(score.waiters, &dnsblWaiter{s: s, fn: fn})
		if score.pending == 0 {
			s.setTimer("dnsbl", 0, fn)
		}
		return len(score.waiters) - 1
	}
	score := &dnsblScore{requestID: sc.requests, passTTL: -1, failTTL: -1, refcount: 1,
		waiters: []*dnsblWaiter{{s: s, fn: fn}}}
	sc.requests++
	sc.scores[addr] = score
	for _, dom := range sc.dnsbl.order {
		if sc.dnsblSend(dom.name, addr, score.requestID) {
			score.pending++
		}
	}
	return 0
}

// dnsblSend sends one query to dnsblog and waits for its reply in the
// background.
func (sc *screen) dnsblSend(domain, addr string, id int) bool {
	path := filepath.Join(sc.srv.QueueDir, sc.cfg.dnsblService)
	nc, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		sc.log.Warnf("psc_dnsbl_request: connect to %s service: %s", sc.cfg.dnsblService, dict.ErrnoText(unwrapErrno(err)))
		return false
	}
	c := attr.NewConn(nc, attr.Format0, sc.cfg.dnsblService, sc.cfg.dnsblTimeout)
	if err := c.Print(postscreen.Query{Domain: domain, Client: addr, Label: id}.Attrs()...); err != nil {
		sc.log.Warnf("psc_dnsbl_request: error sending to %s service: %s", sc.cfg.dnsblService, dict.ErrnoText(unwrapErrno(err)))
		nc.Close()
		return false
	}
	go func() {
		defer nc.Close()
		a, ok, err := postscreen.ReadAnswer(c.R)
		sc.mu.Lock()
		defer sc.mu.Unlock()
		if !ok {
			if isTimeout(err) {
				sc.log.Warnf("dnsblog reply timeout %ds for %s", seconds(sc.cfg.dnsblTimeout), domain)
			}
			return
		}
		sc.dnsblReceive(a)
	}()
	return true
}

// dnsblReceive adds one dnsblog answer to the client's score
// (psc_dnsbl_receive) and, when it was the last one, tells the waiting
// sessions. Answers for scores that are gone (the client was dropped)
// or for an older request are ignored.
func (sc *screen) dnsblReceive(a postscreen.Answer) {
	score := sc.scores[a.Client]
	if score == nil || score.requestID != a.Label {
		return
	}
	if dom := sc.dnsbl.byName[a.Domain]; dom != nil {
		lower := func(ttl *int) {
			if *ttl < 0 || *ttl > a.TTL {
				*ttl = a.TTL
			}
		}
		if a.Addrs != "" {
			replies := strings.Split(a.Addrs, " ")
			for _, site := range dom.sites {
				if site.filter == nil || sc.filterMatch(site.filter, replies) {
					if score.name == "" || score.weight < site.weight {
						score.name, score.weight = dom.safe, site.weight
					}
					score.total += site.weight
				}
				if site.weight > 0 {
					lower(&score.failTTL)
				} else {
					lower(&score.passTTL)
				}
			}
		} else {
			for _, site := range dom.sites {
				if site.weight > 0 {
					lower(&score.passTTL)
				} else {
					lower(&score.failTTL)
				}
			}
		}
	}
	if score.pending--; score.pending == 0 {
		for _, w := range score.waiters {
			if w.fn != nil {
				w.fn()
			}
		}
	}
}

// filterMatch runs the DNSBL's reply addresses through a filter
// (psc_dnsbl_match).
func (sc *screen) filterMatch(f *ipmatch.Filter, replies []string) bool {
	for _, r := range replies {
		if ip := net.ParseIP(r); ip == nil || ip.To4() == nil {
			sc.log.Warnf("address conversion error for %s -- ignoring this reply", r)
			continue
		}
		if f.Match(r) {
			return true
		}
	}
	return false
}

// dnsblRetrieve collects a client's score for the session that asked
// with waiter index idx, and drops its reference (psc_dnsbl_retrieve).
// It returns the score, the name of the DNSBL with the largest weight,
// and the TTL, clamped to postscreen_dnsbl_min_ttl..max_ttl.
func (sc *screen) dnsblRetrieve(s *session, idx int) (total int, name string, ttl int) {
	score := sc.scores[s.clientAddr]
	if score == nil {
		sc.log.Panicf("psc_dnsbl_retrieve: no blocklist score for %s", s.clientAddr)
	}
	if idx < 0 || idx >= len(score.waiters) {
		sc.log.Panicf("psc_dnsbl_retrieve: index %d must be >= 0 and < %d", idx, len(score.waiters))
	}
	score.waiters[idx].fn = nil
	s.cancelTimer("dnsbl")
	ttl = score.passTTL
	if score.total > 0 {
		ttl = score.failTTL
	}
	ttl = min(max(ttl, sc.cfg.dnsblMinTTL), sc.cfg.dnsblMaxTTL)
	s.verbosef("psc_dnsbl_retrieve: addr=%s score=%d ttl=%d", s.clientAddr, score.total, ttl)
	if score.refcount--; score.refcount < 1 {
		delete(sc.scores, s.clientAddr)
	}
	return score.total, score.name, ttl
}

package main

import (
	"errors"
	"path/filepath"
	"strconv"
	"time"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/mailstream"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/params"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/trigger"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
)

// Flush service reply codes (flush_clnt.h).
const (
	flushOK   = 0
	flushFail = -1
	flushBad  = 3
	flushDeny = 4
)

// flushQueue asks qmgr to retry everything now (flush dead destinations,
// ignore time stamps, scan deferred and incoming) and wakes up pickup
// (mail_flush_deferred, mail_flush_maildrop).
func (p *pq) flushQueue() {
	p.checkACL("authorized_flush_users", "flush the mail queue")
	reqs := []struct{ service, request string }{
		{p.str("queue_service_name"), trigger.FlushDead + trigger.ScanAll + trigger.Deferred + trigger.Incoming},
		{p.str("pickup_service_name"), trigger.Wakeup},
	}
	for _, r := range reqs {
		if !p.trigger(r.service, r.request) {
			p.log.Fatalf("Cannot flush mail queue - mail system is down")
		}
	}
}

// trigger sends a request to a public trigger service (mail_trigger),
// reporting problems as Postfix does; false means the service could not
// be reached.
func (p *pq) trigger(service, request string) bool {
	timeout := p.time("trigger_timeout")
	err := trigger.Send(".", "public", service, request, timeout)
	var w *trigger.Warning
	switch {
	case errors.As(err, &w):
		p.log.Warnf("%s", w.Text)
		return false
	case err != nil:
		p.log.Debugf("public/%s: %s", service, queue.Strerror(err))
		return false
	}
	return true
}

// flushSite asks the flush service to deliver the mail queued for site,
// when site is eligible (fast_flush_domains).
func (p *pq) flushSite(site string) {
	p.checkACL("authorized_flush_users", "flush the mail queue")
	switch status := p.sendSite(site); status {
	case flushOK:
	case flushBad:
		p.log.Fatalf("Invalid request: \"%s\"", site)
	case flushFail:
		p.log.Fatalf("Cannot flush mail queue - mail system is down")
	case flushDeny:
		p.log.Fatalf("Flush service is not configured for destination \"%s\"", site)
	default:
		p.log.Fatalf("Unknown flush server reply status %d", status)
	}
}

// flushFile asks the flush service to deliver one deferred message.
func (p *pq) flushFile(id string) {
	p.checkACL("authorized_flush_users", "flush the mail queue")
	switch status := p.flushRequest(attr.Str("request", "send_file"), attr.Str("queue_id", id)); status {
	case flushOK:
	case flushBad:
		p.log.Fatalf("Invalid request: \"%s\"", id)
	case flushFail:
		p.log.Fatalf("Cannot flush mail queue - mail system is down")
	default:
		p.log.Fatalf("Unexpected flush server reply status %d", status)
	}
}

// sendSite is flush_send_site: only sites in fast_flush_domains are
// asked for.
func (p *pq) sendSite(site string) int {
	reg := p.registry()
	parent := maps.ParentMatches(p.str("parent_domain_matches_subdomains"), "fast_flush_domains")
	list, err := maps.NewMatchList(reg, "fast_flush_domains", p.str("fast_flush_domains"), maps.DomainList, parent, p.log)
	if err != nil {
		p.log.Fatalf("%v", err)
	}
	ok, err := list.Match(site)
	switch {
	case err != nil:
		p.log.Warnf("%v", err)
		return flushFail
	case !ok:
		return flushDeny
	}
	if p.compatBreakFlushDomains() {
		p.log.Infof("using backwards-compatible default setting relay_domains=$mydestination to flush mail for domain \"%s\"", site)
	}
	return p.flushRequest(attr.Str("request", "send_site"), attr.Str("site", site))
}

// compatBreakFlushDomains tells whether fast_flush_domains follows the
// old default of relay_domains ($mydestination below compatibility level
// 2), which Postfix points out when it makes a difference.
func (p *pq) compatBreakFlushDomains() bool {
	return p.g.CompatLevel < compatLevel(2) && !p.cfg.IsSet("relay_domains") && !p.cfg.IsSet("fast_flush_domains")
}

// flushRequest is one mail_command_client exchange with the flush
// service; a service that cannot be reached is flushFail.
func (p *pq) flushRequest(req ...attr.Attr) int {
	service := p.str("flush_service_name")
	c, err := attr.Dial(filepath.Join("public", service), attr.Format0, p.time("ipc_timeout"))
	if err != nil {
		p.log.Warnf("connect to public/%s: %s", service, queue.Strerror(err))
		return flushFail
	}
	defer c.Close()
	var status int
	if c.ReadAnnouncement(attr.ProtoFlush) != nil || c.Print(req...) != nil {
		return flushFail
	}
	if n, err := c.Scan(attr.Strict, attr.RecvInt("status", &status)); err != nil || n != 1 {
		return flushFail
	}
	return status
}

// time returns a time parameter; a bad value is fatal.
func (p *pq) time(name string) time.Duration {
	v, err := p.cfg.Time(name)
	if err != nil {
		p.log.Fatalf("%v", err)
	}
	return v
}

// compatLevel is compatibility_level n as CheckGlobal compares it.
func compatLevel(n int) int64 {
	l, _ := params.ParseCompatLevel(strconv.Itoa(n))
	return l
}

// registry is where the tables of access and domain lists come from.
func (p *pq) registry() *dict.Registry {
	return mailstream.TableRegistry(p.log, maptypes.Register)
}

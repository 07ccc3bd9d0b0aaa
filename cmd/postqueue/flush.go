package main

import (
	"errors"
	"time"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/flush"
	"gopostfix/libglobal/mailstream"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/trigger"
	"gopostfix/libglobal/util/dict"
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
	fc, err := flush.New(p.cfg, p.registry(), p.log)
	if err != nil {
		p.log.Fatalf("%v", err)
	}
	switch status := fc.SendSite(site); status {
	case flush.StatOK:
	case flush.StatBad:
		p.log.Fatalf("Invalid request: \"%s\"", site)
	case flush.StatFail:
		p.log.Fatalf("Cannot flush mail queue - mail system is down")
	case flush.StatDeny:
		p.log.Fatalf("Flush service is not configured for destination \"%s\"", site)
	default:
		p.log.Fatalf("Unknown flush server reply status %d", status)
	}
}

// flushFile asks the flush service to deliver one deferred message.
func (p *pq) flushFile(id string) {
	p.checkACL("authorized_flush_users", "flush the mail queue")
	fc, err := flush.NewService(p.cfg, p.log)
	if err != nil {
		p.log.Fatalf("%v", err)
	}
	switch status := fc.SendFile(id); status {
	case flush.StatOK:
	case flush.StatBad:
		p.log.Fatalf("Invalid request: \"%s\"", id)
	case flush.StatFail:
		p.log.Fatalf("Cannot flush mail queue - mail system is down")
	default:
		p.log.Fatalf("Unexpected flush server reply status %d", status)
	}
}

// time returns a time parameter; a bad value is fatal.
func (p *pq) time(name string) time.Duration {
	v, err := p.cfg.Time(name)
	if err != nil {
		p.log.Fatalf("%v", err)
	}
	return v
}

// registry is where the tables of access and domain lists come from.
func (p *pq) registry() *dict.Registry {
	return mailstream.TableRegistry(p.log, maptypes.Register)
}

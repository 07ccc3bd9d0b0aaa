package main

import (
	"fmt"
	"sync"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

func nowFunc() time.Time { return time.Now() }

// remote is the state of one (service, client address) ident: the
// connection count and the event counts of the current time unit.
type remote struct {
	ident                        string
	count                        int
	rate, mail, rcpt, ntls, auth int
	start                        time.Time // start of the time unit; zero after a stale reset
	expire                       *time.Timer
}

// peak is the highest value of one statistic since the last report.
type peak struct {
	value int
	ident string
	when  time.Time
}

func (p *peak) update(v int, ident string, now time.Time) {
	if v > p.value {
		p.value, p.ident, p.when = v, ident, now
	}
}

// anvil holds every ident's state, the connection each anvil client
// holds (one per client connection, as in Postfix), and the peaks.
type anvil struct {
	log  *msg.Logger
	unit time.Duration
	now  func() time.Time

	mu      sync.Mutex
	remotes map[string]*remote
	holds   map[*attr.Conn]*remote

	connRate, connCount, mailRate, rcptRate, ntlsRate, authRate peak
	cacheSize                                                   int
	cacheWhen                                                   time.Time
}

func newAnvil(log *msg.Logger, unit time.Duration, now func() time.Time) *anvil {
	return &anvil{log: log, unit: unit, now: now, remotes: map[string]*remote{}, holds: map[*attr.Conn]*remote{}}
}

// Anvil status codes.
const (
	statOK   = 0
	statFail = -1
)

// serve answers one request.
func (a *anvil) serve(c *attr.Conn) error {
	var req, ident string
	n, err := c.Scan(attr.Missing|attr.Strict, attr.RecvStr("request", &req), attr.RecvStr("ident", &ident))
	if err != nil || n != 2 {
		if err != nil {
			return err
		}
		return fmt.Errorf("missing attribute")
	}
	a.mu.Lock()
	reply := a.handle(c, req, ident)
	a.mu.Unlock()
	return c.Print(reply...)
}

// handle runs one request under the lock and returns the reply.
func (a *anvil) handle(c *attr.Conn, req, ident string) []attr.Attr {
	ok := attr.Int("status", statOK)
	switch req {
	case "connect":
		r := a.connect(c, ident)
		a.connRate.update(r.rate, r.ident, a.now())
		a.connCount.update(r.count, r.ident, a.now())
		return []attr.Attr{ok, attr.Int("count", r.count), attr.Int("rate", r.rate)}
	case "disconnect":
		a.disconnect(c, ident)
		return []attr.Attr{ok}
	case "message", "recipient", "newtls", "auth":
		r := a.remotes[ident]
		if r == nil {
			r = a.connect(c, ident)
		}
		a.freshen(r, a.now())
		var v *int
		var p *peak
		switch req {
		case "message":
			v, p = &r.mail, &a.mailRate
		case "recipient":
			v, p = &r.rcpt, &a.rcptRate
		case "newtls":
			v, p = &r.ntls, &a.ntlsRate
		default:
			v, p = &r.auth, &a.authRate
		}
		if *v < int(^uint32(0)>>1) {
			*v++
		}
		p.update(*v, r.ident, a.now())
		return []attr.Attr{ok, attr.Int("rate", *v)}
	case "newtls_status":
		rate := 0
		if r := a.remotes[ident]; r != nil {
			a.dropStale(r)
			rate = r.ntls
		}
		return []attr.Attr{ok, attr.Int("rate", rate)}
	case "lookup":
		r := a.remotes[ident]
		if r == nil {
			r = &remote{}
		} else {
			a.dropStale(r)
		}
		return []attr.Attr{ok, attr.Int("count", r.count), attr.Int("rate", r.rate), attr.Int("mail", r.mail),
			attr.Int("rcpt", r.rcpt), attr.Int("newtls", r.ntls), attr.Int("auth", r.auth)}
	}
	a.log.Warnf("unrecognized request: \"%s\", ignored", req)
	return []attr.Attr{attr.Int("status", statFail)}
}

// freshen starts a new time unit when the current one is over.
func (a *anvil) freshen(r *remote, now time.Time) {
	if r.start.Add(a.unit).Before(now) {
		r.rate, r.mail, r.rcpt, r.ntls, r.auth = 0, 0, 0, 0, 0
		r.start = now
	}
}

// dropStale hides rates of a time unit that is over, for lookups.
func (a *anvil) dropStale(r *remote) {
	if !r.start.IsZero() && r.start.Add(a.unit).Before(a.now()) {
		r.rate, r.mail, r.rcpt, r.ntls, r.auth = 0, 0, 0, 0, 0
		r.start = time.Time{}
	}
}

// connect counts a connection for ident and makes it the one client c
// holds, releasing the one it held before.
func (a *anvil) connect(c *attr.Conn, ident string) *remote {
	now := a.now()
	r := a.remotes[ident]
	if r == nil {
		r = &remote{ident: ident, count: 1, rate: 1, start: now}
		a.remotes[ident] = r
		if len(a.remotes) > a.cacheSize {
			a.cacheSize, a.cacheWhen = len(a.remotes), now
		}
	} else {
		a.freshen(r, now)
		r.rate++
		if r.count == 0 && r.expire != nil {
			r.expire.Stop()
			r.expire = nil
		}
		r.count++
	}
	if old := a.holds[c]; old != nil {
		a.release(old)
	}
	a.holds[c] = r
	return r
}

// disconnect drops the connection c holds if it is for ident.
func (a *anvil) disconnect(c *attr.Conn, ident string) {
	r := a.remotes[ident]
	if r != nil && a.holds[c] == r {
		a.release(r)
		delete(a.holds, c)
	}
}

// release drops one connection; an ident without connections is
// forgotten one time unit later.
func (a *anvil) release(r *remote) {
	if r.count <= 0 {
		return
	}
	r.count--
	if r.count == 0 {
		r.expire = time.AfterFunc(a.unit, func() {
			a.mu.Lock()
			defer a.mu.Unlock()
			if r.count == 0 && a.remotes[r.ident] == r {
				delete(a.remotes, r.ident)
			}
		})
	}
}

// done releases what a departing client still holds.
func (a *anvil) done(c *attr.Conn) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if r := a.holds[c]; r != nil {
		a.release(r)
		delete(a.holds, c)
	}
}

// startReports logs the peaks every interval.
func (a *anvil) startReports(every time.Duration) {
	go func() {
		for range time.Tick(every) {
			a.report()
		}
	}()
}

// report logs and resets the peaks (anvil_status_dump).
func (a *anvil) report() {
	a.mu.Lock()
	defer a.mu.Unlock()
	secs := int(a.unit / time.Second)
	rate := func(p *peak, name string) {
		if p.value > 0 {
			a.log.Infof("statistics: max %s rate %d/%ds for (%s) at %s", name, p.value, secs, p.ident, stamp(p.when))
			p.value = 0
		}
	}
	rate(&a.connRate, "connection")
	if a.connCount.value > 0 {
		a.log.Infof("statistics: max connection count %d for (%s) at %s", a.connCount.value, a.connCount.ident, stamp(a.connCount.when))
		a.connCount.value = 0
	}
	rate(&a.mailRate, "message")
	rate(&a.rcptRate, "recipient")
	rate(&a.ntlsRate, "newtls")
	rate(&a.authRate, "auth")
	if a.cacheSize > 0 {
		a.log.Infof("statistics: max cache size %d at %s", a.cacheSize, stamp(a.cacheWhen))
		a.cacheSize = 0
	}
}

// stamp is ctime's "Mmm dd hh:mm:ss".
func stamp(t time.Time) string { return t.Local().Format("Jan _2 15:04:05") }

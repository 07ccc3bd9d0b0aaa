package sqltable

import (
	"math/rand/v2"
	"strings"
	"time"
)

// Host states (STATACTIVE, STATFAIL, STATUNTRIED).
const (
	stateActive = 1 << iota
	stateFailed
	stateUntried
)

// RetryInterval is how long a host that failed is left alone, and
// IdleInterval how long an unused connection stays open (Postfix's
// RETRY_CONN_INTV and IDLE_CONN_INTV: fixed, not settings).
const (
	RetryInterval = 60 * time.Second
	IdleInterval  = 60 * time.Second
)

// retryMax bounds the connection attempts of one lookup (RETRY_CONN_MAX).
const retryMax = 100

// Host is one entry of the "hosts" setting.
type Host struct {
	// Label is the entry as written ("unix:/path", "inet:db:3306",
	// "db"), for messages.
	Label string
	// Unix is true for a UNIX-domain socket: "unix:/path", or the name
	// localhost, which the MySQL client reaches through its default
	// socket (then Addr is empty).
	Unix bool
	// Addr is the socket path or the host name.
	Addr string
	// Port is the port after the last ':' of an inet entry, as written
	// (empty: the client's default).
	Port string
	// ConnString is true for a PostgreSQL connection URI
	// ("postgresql://..."), held whole in Addr.
	ConnString bool

	state int
	until time.Time // a failed host is skipped until then
	used  time.Time // when the connection last answered
	// Conn is the client's connection, nil when closed.
	Conn any
}

// ParseHost splits one mysql "hosts" entry: "unix:/path", or
// "inet:host:port" where "inet:" and ":port" are optional. With
// localhostUnix (MySQL's habit), the name localhost means the default
// UNIX-domain socket.
func ParseHost(entry string, localhostUnix bool) *Host {
	h := &Host{Label: entry}
	if rest, ok := strings.CutPrefix(entry, "unix:"); ok {
		h.Unix, h.Addr = true, rest
	} else {
		h.Addr = strings.TrimPrefix(entry, "inet:")
	}
	if i := strings.LastIndexByte(h.Addr, ':'); i >= 0 {
		h.Addr, h.Port = h.Addr[:i], h.Addr[i+1:]
	}
	if localhostUnix && strings.EqualFold(h.Addr, "localhost") {
		h.Unix, h.Addr = true, ""
	}
	return h
}

// Pool is a table's database hosts (PLMYSQL, PLPGSQL).
type Pool struct {
	Hosts []*Host
	// Now and Rand are the clock and the random source (tests replace
	// them); Rand returns a number in [0, n).
	Now  func() time.Time
	Rand func(n int) int
}

// NewPool parses the "hosts" setting, a list separated by commas and
// white space, each entry with parse; an empty list means localhost.
func NewPool(hosts string, parse func(entry string) *Host) *Pool {
	p := &Pool{Now: time.Now, Rand: rand.IntN}
	words := strings.FieldsFunc(hosts, func(r rune) bool { return strings.ContainsRune(", \t\r\n", r) })
	if len(words) == 0 {
		words = []string{"localhost"}
	}
	for _, w := range words {
		h := parse(w)
		h.state = stateUntried
		p.Hosts = append(p.Hosts, h)
	}
	return p
}

// ParsePgHost splits one pgsql "hosts" entry: a "postgresql:" URI kept
// whole; else, without an optional "unix:" or "inet:", a name starting
// with '/' (or empty) is a socket directory, and anything else a host
// with an optional ":port".
func ParsePgHost(entry string) *Host {
	h := &Host{Label: entry}
	if strings.HasPrefix(entry, "postgresql:") {
		h.ConnString, h.Addr = true, entry
		return h
	}
	name := entry
	if strings.HasPrefix(name, "unix:") || strings.HasPrefix(name, "inet:") {
		name = name[5:]
	}
	h.Addr = name
	if name == "" || name[0] == '/' {
		h.Unix = true
		return h
	}
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		h.Addr, h.Port = name[:i], name[i+1:]
	}
	return h
}

// Host classes, in the order they are tried (TYPEUNIX, TYPEINET,
// TYPECONNSTRING).
const (
	classUnix = iota
	classInet
	classConnString
)

func (h *Host) class() int {
	switch {
	case h.ConnString:
		return classConnString
	case h.Unix:
		return classUnix
	}
	return classInet
}

// eligible is dict_mysql_check_stat: a host in one of the states, of
// the class, not failed too recently.
func eligible(h *Host, states, class int, now time.Time) bool {
	if h.state&states == 0 || h.class() != class {
		return false
	}
	return !(h.state == stateFailed && !h.until.IsZero() && !h.until.Before(now))
}

// pick returns a random host among the eligible ones.
func (p *Pool) pick(states, class int, now time.Time) *Host {
	var found []*Host
	for _, h := range p.Hosts {
		if eligible(h, states, class, now) {
			found = append(found, h)
		}
	}
	switch len(found) {
	case 0:
		return nil
	case 1:
		return found[0]
	}
	return found[p.Rand(len(found))]
}

// Active returns a host with an open connection, preferring UNIX-domain
// sockets, or else connects to hosts not yet tried or failed long enough
// ago, UNIX-domain sockets first, until connect succeeds for one
// (dict_*_get_active). connect reports success by returning a non-nil
// connection, and logs its own failures. Connections idle for longer
// than IdleInterval are closed first with closeConn.
func (p *Pool) Active(connect func(*Host) any, closeConn func(*Host)) *Host {
	now := p.Now()
	for _, h := range p.Hosts {
		if h.state == stateActive && now.Sub(h.used) > IdleInterval {
			p.Close(h, closeConn)
		}
	}
	if h := p.pickClass(stateActive, now); h != nil {
		return h
	}
	for range retryMax - 1 {
		h := p.pickClass(stateUntried|stateFailed, p.Now())
		if h == nil {
			return nil
		}
		if h.Conn = connect(h); h.Conn != nil {
			h.state, h.used = stateActive, p.Now()
			return h
		}
		p.Down(h, closeConn)
	}
	return nil
}

// pickClass picks a host of the first class that has an eligible one.
func (p *Pool) pickClass(states int, now time.Time) *Host {
	for class := classUnix; class <= classConnString; class++ {
		if h := p.pick(states, class, now); h != nil {
			return h
		}
	}
	return nil
}

// Used records a successful query on h: its idle time starts again.
func (p *Pool) Used(h *Host) { h.used = p.Now() }

// Close closes h's connection; h may be tried again at once.
func (p *Pool) Close(h *Host, closeConn func(*Host)) {
	if h.Conn != nil {
		closeConn(h)
		h.Conn = nil
	}
	h.state = stateUntried
}

// Down closes h's connection after a failure and leaves h alone for
// RetryInterval.
func (p *Pool) Down(h *Host, closeConn func(*Host)) {
	p.Close(h, closeConn)
	h.state, h.until = stateFailed, p.Now().Add(RetryInterval)
}

// CloseAll closes every connection (the table's close).
func (p *Pool) CloseAll(closeConn func(*Host)) {
	for _, h := range p.Hosts {
		p.Close(h, closeConn)
	}
}

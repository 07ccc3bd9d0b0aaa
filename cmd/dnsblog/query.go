package main

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"slices"
	"strings"
	"time"

	"gopostfix/libglobal/dns"
	"gopostfix/libglobal/params"
	"gopostfix/libglobal/postscreen"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// logger answers one dnsblog request.
type logger struct {
	log      *msg.Logger
	resolver *dns.Resolver
	delay    time.Duration
	timeout  time.Duration
	name     string // stream name for attribute warnings
	ipv6     bool   // inet_protocols enables IPv6
}

func newLogger(s *libmaster.Server) *logger {
	protos, err := params.ParseProtocols(s.Str("inet_protocols"))
	if err != nil {
		s.Log.Fatalf("%v", err)
	}
	return &logger{log: s.Log, resolver: dns.FromResolvConf("/etc/resolv.conf"),
		delay: s.Time("dnsblog_reply_delay"), timeout: s.IPCTimeout, name: s.Name + " socket",
		ipv6: slices.Contains(protos, "ipv6")}
}

// serve reads the request, looks it up and replies (dnsblog_service).
// A malformed request gets no reply.
func (l *logger) serve(c net.Conn) {
	conn := attr.NewConn(c, attr.Format0, l.name, l.timeout)
	q, ok, err := postscreen.ReadQuery(conn.R)
	if !ok {
		var ae *attr.Error
		if errors.As(err, &ae) && !errors.Is(err, io.EOF) {
			l.log.Warnf("%v", err)
		}
		return
	}
	addrs, ttl := l.query(q.Domain, q.Client)
	if l.delay > 0 {
		time.Sleep(l.delay)
	}
	conn.Print(postscreen.Answer{Query: q, Addrs: addrs, TTL: ttl}.Attrs()...)
}

// query looks addr up under domain (dnsblog_query): the addresses found,
// space separated, and the lowest TTL of the answer (or of the SOA
// records of a negative answer); -1 when there is none.
func (l *logger) query(domain, addr string) (string, int) {
	if a, err := netip.ParseAddr(addr); err == nil && a.Is6() && !l.ipv6 {
		// The address cannot be converted with IPv6 turned off.
		l.log.Fatalf("dnsblog_query: unable to convert address %s", addr)
	}
	name := reversed(addr) + domain
	res := l.resolver.LookupNCache(name, dns.TypeA)
	ttl := -1
	lower := func(t uint32) {
		if ttl < 0 || ttl > int(t) {
			ttl = int(t)
		}
	}
	switch res.Status {
	case dns.XOK:
		var found []string
		for _, rr := range res.Records {
			l.log.Infof("addr %s listed by domain %s as %s", addr, domain, rr.Data)
			found = append(found, rr.Data)
			lower(rr.TTL)
		}
		return strings.Join(found, " "), ttl
	case dns.XNotFound:
		for _, rr := range res.Records {
			lower(rr.TTL)
		}
		return "", ttl
	}
	l.log.Warnf("dnsblog_query: lookup error for DNS query %s: %s", name, res.Why)
	return "", -1
}

// reversed is the DNSBL query prefix with its trailing dot: the nibbles
// of an IPv6 address, otherwise the dot-separated parts of the address
// text in reverse order.
func reversed(addr string) string {
	if strings.Contains(addr, ":") {
		if r, err := dns.ReverseIP(addr); err == nil {
			return r + "."
		}
	}
	parts := strings.Split(addr, ".")
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
		b.WriteByte('.')
	}
	return b.String()
}

package dns

import (
	"fmt"
	"net"
	"strings"
	"time"

	mdns "github.com/miekg/dns"
)

// Status is the outcome class of a lookup.
type Status int

const (
	OK       Status = iota // records of the type exist
	NotFound               // NXDOMAIN, or no records of the type
	TempFail               // no answer now: try again later
	NullMX                 // the domain's only MX is "0 ."
)

func (s Status) String() string {
	switch s {
	case OK:
		return "OK"
	case NotFound:
		return "not found"
	case NullMX:
		return "null MX"
	}
	return "temporary failure"
}

// Record is one answer record reduced to its data.
type Record struct {
	Type uint16 // TypeA, TypeAAAA, TypeMX, TypeTXT, ...
	Pref uint16 // MX preference
	Data string // address, host name, or TXT text (strings joined)
	TTL  uint32
}

// Resolver sends queries to a fixed list of servers.
type Resolver struct {
	Servers []string // "host:port"
	Timeout time.Duration
	Retries int
}

// Record types callers use.
const (
	TypeA    = mdns.TypeA
	TypeAAAA = mdns.TypeAAAA
	TypeMX   = mdns.TypeMX
	TypeTXT  = mdns.TypeTXT
	TypeNS   = mdns.TypeNS
	TypePTR  = mdns.TypePTR
)

// FromResolvConf returns a resolver for the servers of path (normally
// /etc/resolv.conf), with its timeout and attempts options. A missing
// file means the local name server, as in the C resolver.
func FromResolvConf(path string) *Resolver {
	r := &Resolver{Timeout: 5 * time.Second, Retries: 2}
	cc, err := mdns.ClientConfigFromFile(path)
	if err != nil || len(cc.Servers) == 0 {
		r.Servers = []string{"127.0.0.1:53"}
		return r
	}
	for _, s := range cc.Servers {
		r.Servers = append(r.Servers, net.JoinHostPort(s, cc.Port))
	}
	if cc.Timeout > 0 {
		r.Timeout = time.Duration(cc.Timeout) * time.Second
	}
	if cc.Attempts > 0 {
		r.Retries = cc.Attempts
	}
	return r
}

// Lookup asks for records of one type. For MX, a lone "0 ." record gives
// NullMX.
func (r *Resolver) Lookup(name string, qtype uint16) (Status, []Record, error) {
	if name == "" || strings.ContainsAny(name, " \t\r\n") {
		return NotFound, nil, fmt.Errorf("bad domain name: %q", name)
	}
	q := new(mdns.Msg)
	q.SetQuestion(mdns.Fqdn(name), qtype)
	q.RecursionDesired = true
	resp, err := r.exchange(q)
	if err != nil {
		return TempFail, nil, err
	}
	switch resp.Rcode {
	case mdns.RcodeSuccess:
	case mdns.RcodeNameError:
		return NotFound, nil, fmt.Errorf("Host not found")
	default:
		return TempFail, nil, fmt.Errorf("%s", mdns.RcodeToString[resp.Rcode])
	}
	recs := answers(resp, qtype)
	if len(recs) == 0 {
		return NotFound, nil, fmt.Errorf("no %s record", mdns.TypeToString[qtype])
	}
	if qtype == TypeMX && len(recs) == 1 && recs[0].Pref == 0 && recs[0].Data == "" {
		return NullMX, recs, nil
	}
	return OK, recs, nil
}

// exchange tries each server in turn, each up to Retries times, with a
// TCP retry when the UDP answer is truncated.
func (r *Resolver) exchange(q *mdns.Msg) (*mdns.Msg, error) {
	udp := &mdns.Client{Net: "udp", Timeout: r.Timeout}
	tcp := &mdns.Client{Net: "tcp", Timeout: r.Timeout}
	var lastErr error = fmt.Errorf("no name servers")
	tries := r.Retries
	if tries < 1 {
		tries = 1
	}
	for try := 0; try < tries; try++ {
		for _, srv := range r.Servers {
			resp, _, err := udp.Exchange(q, srv)
			if err == nil && resp.Truncated {
				resp, _, err = tcp.Exchange(q, srv)
			}
			if err != nil {
				lastErr = err
				continue
			}
			if resp.Rcode == mdns.RcodeServerFailure || resp.Rcode == mdns.RcodeRefused {
				lastErr = fmt.Errorf("%s", mdns.RcodeToString[resp.Rcode])
				continue
			}
			return resp, nil
		}
	}
	return nil, lastErr
}

// answers extracts the records of qtype.
func answers(resp *mdns.Msg, qtype uint16) []Record {
	var out []Record
	for _, rr := range resp.Answer {
		h := rr.Header()
		if h.Rrtype != qtype {
			continue
		}
		rec := Record{Type: h.Rrtype, TTL: h.Ttl}
		switch v := rr.(type) {
		case *mdns.A:
			rec.Data = v.A.String()
		case *mdns.AAAA:
			rec.Data = v.AAAA.String()
		case *mdns.MX:
			rec.Pref = v.Preference
			rec.Data = strings.TrimSuffix(v.Mx, ".")
		case *mdns.TXT:
			rec.Data = strings.Join(v.Txt, "")
		case *mdns.NS:
			rec.Data = strings.TrimSuffix(v.Ns, ".")
		case *mdns.PTR:
			rec.Data = strings.TrimSuffix(v.Ptr, ".")
		default:
			continue
		}
		out = append(out, rec)
	}
	return out
}

// Any looks up several types in order and returns the first OK (or
// NullMX) answer; otherwise TempFail if any lookup failed temporarily,
// else NotFound (dns_lookup_l with its list of types).
func (r *Resolver) Any(name string, qtypes ...uint16) (Status, []Record) {
	worst := NotFound
	for _, t := range qtypes {
		st, recs, _ := r.Lookup(name, t)
		switch st {
		case OK, NullMX:
			return st, recs
		case TempFail:
			worst = TempFail
		}
	}
	return worst, nil
}

// ReverseIP returns the DNSBL query prefix of an address: the IPv4
// octets or the IPv6 nibbles in reverse order, dot separated.
func ReverseIP(addr string) (string, error) {
	ip := net.ParseIP(addr)
	if ip == nil {
		return "", fmt.Errorf("bad address: %q", addr)
	}
	if v4 := ip.To4(); v4 != nil {
		return fmt.Sprintf("%d.%d.%d.%d", v4[3], v4[2], v4[1], v4[0]), nil
	}
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := len(ip) - 1; i >= 0; i-- {
		b.WriteByte(hex[ip[i]&0xf])
		b.WriteByte('.')
		b.WriteByte(hex[ip[i]>>4])
		if i > 0 {
			b.WriteByte('.')
		}
	}
	return b.String(), nil
}

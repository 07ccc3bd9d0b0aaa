package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/idna"

	"gopostfix/libglobal/dns"
	"gopostfix/libglobal/maps"
)

// addrRR is one server address to try (a DNS_RR of type A or AAAA): the
// name it was found under, the address and the MX preference.
type addrRR struct {
	host   string
	addr   netip.Addr
	pref   int
	dnssec bool
}

// addrTypes are the address record types of inet_protocols, in Postfix's
// order (dns_atype_list).
func (c *config) addrTypes() []uint16 {
	var t []uint16
	if c.hasFamily("ipv4") {
		t = append(t, dns.TypeA)
	}
	if c.hasFamily("ipv6") {
		t = append(t, dns.TypeAAAA)
	}
	return t
}

// familyOK reports whether an address family is enabled.
func (c *config) familyOK(a netip.Addr) bool {
	if a.Is4() || a.Is4In6() {
		return c.hasFamily("ipv4")
	}
	return c.hasFamily("ipv6")
}

// addrOne adds the addresses of one host (smtp_addr_one): a numeric
// address directly, then DNS, then the system resolver, per
// smtp_host_lookup. Failures set st.why.
func (st *state) addrOne(list []addrRR, host string, pref int, dnssec bool) []addrRR {
	cfg := st.ag.cfg
	if a, err := netip.ParseAddr(host); err == nil {
		if cfg.familyOK(a) {
			return append(list, addrRR{host: host, addr: a.Unmap(), pref: pref})
		}
	}
	if cfg.hostLookup&lookupDNS != 0 {
		res := st.ag.lookupV(host, dnssec, cfg.addrTypes()...)
		if res.Status != dns.XOK {
			st.why.Reason = res.Why
		}
		switch res.Status {
		case dns.XOK:
			for _, r := range res.Records {
				if a, err := netip.ParseAddr(r.Data); err == nil {
					list = append(list, addrRR{host: host, addr: a, pref: pref, dnssec: res.AD})
				}
			}
			return list
		default:
			st.why.Status = "4.4.3"
			return list
		case dns.XFail:
			st.why.Status = softOr(st, "4.4.3", "5.4.3")
			return list
		case dns.XInval:
			st.why.Status = softOr(st, "4.4.4", "5.4.4")
			return list
		case dns.XPolicy:
			st.why.Status = "4.7.0"
			return list
		case dns.XNotFound:
			st.why.Status = softOr(st, "4.4.4", "5.4.4")
		}
	}
	if cfg.hostLookup&lookupNative != 0 {
		return st.addrNative(list, host, pref)
	}
	return list
}

// softOr picks the soft status when an earlier lookup already failed
// softly (a soft error dominates).
func softOr(st *state, soft, hard string) string {
	if st.hasSoft() {
		return soft
	}
	return hard
}

// addrNative looks a host up with the system resolver
// (hostname_to_sockaddr) and reports getaddrinfo's error texts.
func (st *state) addrNative(list []addrRR, host string, pref int) []addrRR {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		temp, text := false, "Name or service not known"
		var de *net.DNSError
		if errors.As(err, &de) && (de.IsTemporary || de.IsTimeout) {
			temp, text = true, "Temporary failure in name resolution"
		}
		status := "5.4.4"
		if st.hasSoft() || temp {
			status = "4.4.4"
		}
		st.setWhy(status, fmt.Sprintf("unable to look up host %s: %s", host, text))
		return list
	}
	found := 0
	for _, a := range ips {
		a = a.Unmap()
		if !st.ag.cfg.familyOK(a) {
			fam := 2
			if a.Is6() {
				fam = 10
			}
			st.ag.log.Infof("skipping address family %d for host %s", fam, host)
			continue
		}
		found++
		list = append(list, addrRR{host: host, addr: a, pref: pref})
	}
	if found == 0 {
		st.setWhy(softOr(st, "4.4.4", "5.4.4"), host+": host not found")
	}
	return list
}

// asciiName converts a UTF-8 domain to its A-label form.
func asciiName(name string) string {
	if isASCII(name) {
		return name
	}
	if a, err := idna.Lookup.ToASCII(name); err == nil {
		return a
	}
	return name
}

// hostAddr looks up a host without MX (smtp_host_addr).
func (st *state) hostAddr(host string) []addrRR {
	st.setWhy("", "")
	list := st.addrOne(nil, asciiName(host), 0, st.ag.cfg.dnsSupport == dnsDNSSEC)
	if len(list) > 0 && st.flags&flagLoopDetect != 0 && st.findSelf(list) >= 0 {
		st.setWhy("5.4.6", fmt.Sprintf("mail for %s loops back to myself", host))
		return nil
	}
	if len(list) > 1 {
		list = st.orderAddrs(list, len(st.ag.cfg.inetProtocols) > 1)
	}
	return list
}

// domainAddr looks up the MX hosts of a domain and their addresses
// (smtp_domain_addr); iAmMX reports that this host is one of them.
func (st *state) domainAddr(name string) (list []addrRR, iAmMX bool) {
	cfg := st.ag.cfg
	st.setWhy("", "")
	aname := asciiName(name)
	res := st.ag.lookup(aname, dns.TypeMX, cfg.dnsSupport == dnsDNSSEC)
	if res.Status != dns.XOK {
		st.why.Reason = res.Why
	}
	switch res.Status {
	default:
		st.why.Status = "4.4.3"
		if cfg.ignMXErr {
			list = st.hostAddr(aname)
		}
	case dns.XInval:
		st.why.Status = "5.4.4"
		if cfg.ignMXErr {
			list = st.hostAddr(aname)
		}
	case dns.XNullMX:
		st.why.Status = "5.1.0"
	case dns.XPolicy:
		st.why.Status = "4.7.0"
	case dns.XFail:
		st.why.Status = "5.4.3"
		if cfg.ignMXErr {
			list = st.hostAddr(aname)
		}
	case dns.XNotFound:
		list = st.hostAddr(aname)
	case dns.XOK:
		st.it.mxDNSSEC, st.it.mxName = res.AD, aname
		mx := append([]dns.Record(nil), res.Records...)
		sort.SliceStable(mx, func(i, j int) bool { return mx[i].Pref < mx[j].Pref })
		bestPref := int(mx[0].Pref)
		st.setWhy("", "")
		dnssec := res.AD || (!cfg.lmtp && cfg.tls.insecureMX > tlsMay)
		for _, r := range mx {
			list = st.addrOne(list, r.Data, int(r.Pref), dnssec)
		}
		if len(list) == 0 {
			if cfg.defer5xxNoMX && st.hasHard() {
				st.why.Status = "4" + st.why.Status[1:]
			}
			st.ag.log.Warnf("no MX host for %s has a valid address record", name)
			break
		}
		bestFound := list[0].pref
		for _, a := range list {
			bestFound = min(bestFound, a.pref)
		}
		if st.flags&flagLoopDetect != 0 {
			if i := st.findSelf(list); i >= 0 {
				iAmMX = true
				list = truncateSelf(list, list[i].pref)
				if len(list) == 0 {
					if bestPref != bestFound {
						st.setWhy("4.4.4", fmt.Sprintf("unable to find primary relay for %s", name))
					} else {
						st.setWhy("5.4.6", fmt.Sprintf("mail for %s loops back to myself", name))
					}
				}
			}
		}
		if len(list) > 1 {
			list = st.orderAddrs(list, true)
		}
	}
	return list, iAmMX
}

// truncateSelf drops every address with a preference at or above mine
// (smtp_truncate_self).
func truncateSelf(list []addrRR, pref int) []addrRR {
	var out []addrRR
	for _, a := range list {
		if a.pref < pref {
			out = append(out, a)
		}
	}
	return out
}

// findSelf returns the index of the first address that is one of mine
// (inet_interfaces or proxy_interfaces), or -1 (smtp_find_self).
func (st *state) findSelf(list []addrRR) int {
	for i, a := range list {
		for _, own := range st.ag.ownAddrs {
			if a.addr == own {
				return i
			}
		}
	}
	return -1
}

// orderAddrs shuffles, sorts by preference (and address family when
// sortFamily) and balances the families (the tail of smtp_domain_addr
// and smtp_host_addr).
func (st *state) orderAddrs(list []addrRR, sortFamily bool) []addrRR {
	cfg := st.ag.cfg
	if cfg.randomize {
		rand.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
	}
	if sortFamily {
		rank := func(a addrRR) int {
			switch {
			case cfg.addrPref == prefIPv6 && a.addr.Is4():
				return 1
			case cfg.addrPref == prefIPv4 && !a.addr.Is4():
				return 1
			}
			return 0
		}
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].pref != list[j].pref {
				return list[i].pref < list[j].pref
			}
			return rank(list[i]) < rank(list[j])
		})
	}
	if cfg.mxAddrLimit > 0 && cfg.balance {
		list = balanceFamilies(list, cfg.mxAddrLimit)
	}
	return list
}

// balanceFamilies keeps addresses of both families when the list is
// longer than the limit (smtp_balance_inet_proto).
func balanceFamilies(list []addrRR, limit int) []addrRR {
	v4, v6 := 0, 0
	for _, a := range list {
		if a.addr.Is4() {
			v4++
		} else {
			v6++
		}
	}
	if v4 == 0 || v6 == 0 || v4+v6 <= limit {
		return list
	}
	var t4, t6 int
	switch {
	case v6 <= limit/2:
		t6, t4 = v6, limit-v6
	case v4 <= limit/2:
		t4, t6 = v4, limit-v4
	default:
		first := 0
		if list[0].addr.Is4() {
			first = 1
		}
		t4 = (limit + first) / 2
		t6 = limit - t4
	}
	var out []addrRR
	for _, a := range list {
		p := &t6
		if a.addr.Is4() {
			p = &t4
		}
		if *p > 0 {
			out = append(out, a)
			*p--
		}
	}
	return out
}

// ownAddrs are the addresses of inet_interfaces and proxy_interfaces.
func ownAddrs(cfg *config) []netip.Addr {
	var out []netip.Addr
	for _, v := range []string{cfg.inetInterfaces, cfg.proxyInterfaces} {
		if strings.TrimSpace(v) == "" {
			continue
		}
		out = append(out, maps.InterfaceAddrs(v)...)
	}
	return out
}

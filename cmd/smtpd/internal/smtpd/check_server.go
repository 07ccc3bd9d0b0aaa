package smtpd

import (
	"strings"
)

// Server record types of check_*_{a,mx,ns}_access.
const (
	serverA  = "A"
	serverMX = "MX"
	serverNS = "NS"
)

// rrListLimit is var_dns_rr_list_limit, a built-in 100 in Postfix 3.7
// (no parameter).
const rrListLimit = 100

// serverKind splits check_<what>_{a,mx,ns}_access into the plain access
// check it extends and the record type.
func serverKind(kind string) (plain, typ string, ok bool) {
	base, found := strings.CutSuffix(kind, "_access")
	if !found {
		return "", "", false
	}
	for _, t := range []string{serverA, serverMX, serverNS} {
		if b, ok := strings.CutSuffix(base, "_"+strings.ToLower(t)); ok {
			return b + "_access", t, true
		}
	}
	return "", "", false
}

// checkServerRestriction runs check_{client,reverse_client_hostname,
// helo,sender,recipient}_{a,mx,ns}_access: the checked name must be
// known (not "unknown", not empty), and a table answer of OK is refused
// (forbid_allowlist), because DNS data is not trustworthy enough to
// permit anything.
func (ss *Session) checkServerRestriction(kind, name, table string, st stage) int {
	plain, typ, _ := serverKind(kind)
	ast, target, ok := ss.accessStage(plain, st)
	if !ok || target == "" {
		return resDunno
	}
	if (plain == "check_client_access" || plain == "check_reverse_client_hostname_access") && strings.EqualFold(target, "unknown") {
		return resDunno
	}
	res := ss.checkServerAccess(table, target, typ, ast)
	if !ss.check.discard && res == resOK {
		ss.log.Warnf("restriction %s returns OK for %s", name, target)
		ss.log.Warnf("this is not allowed for security reasons")
		ss.log.Warnf("use DUNNO instead of OK if you want to make an exception")
		return ss.rejectAs(errSoftware, 451, "4.3.5", "Server configuration error")
	}
	return res
}

// checkServerAccess is check_server_access: the MX hosts, the name
// servers or (type A) the host itself of the domain in name are looked
// up in the table by name (MX, NS) and then by each of their addresses.
// A domain without MX records is its own MX host; one without NS
// records uses its parents' name servers; an address literal is its own
// MX or A host.
func (ss *Session) checkServerAccess(table, name, typ string, st stage) int {
	domain := name
	if i := strings.LastIndexByte(name, '@'); i >= 0 {
		domain = name[i+1:]
	}
	t, err := ss.openTable(table)
	if err != nil {
		return ss.rejectAs(errSoftware, 451, "4.3.5", "Server configuration error")
	}
	if strings.HasPrefix(domain, "[") {
		if typ != serverA && typ != serverMX || !strings.HasSuffix(domain, "]") {
			return resDunno
		}
		addr, ok := mailhostAddr(domain[1 : len(domain)-1])
		if !ok {
			return resDunno
		}
		res, _ := ss.checkAddrAccess(t, table, addr, st)
		return res
	}
	if ss.deps.DNS == nil {
		return resDunno
	}
	var servers []string
	if typ == serverA {
		servers = []string{domain}
	} else {
		status, list, why := ss.deps.DNS.Servers(domain, typ == serverNS)
		if status == DNSNullMX {
			return resDunno
		}
		list = ss.serverNames(list, typ, domain)
		shown := domain
		if status == DNSNotFound {
			if typ == serverMX {
				list, status = []string{domain}, DNSFound
			} else {
				// The parents' name servers; when none is found the
				// warning names the address as given.
				shown = name
				for d := domain; ; {
					i := strings.IndexByte(d, '.')
					if i < 0 || i+1 >= len(d) {
						break
					}
					d = d[i+1:]
					if status, list, why = ss.deps.DNS.Servers(d, true); status != DNSNotFound {
						list, shown = ss.serverNames(list, typ, d), d
						break
					}
				}
			}
		}
		if status != DNSFound {
			ss.log.Warnf("Unable to look up %s host for %s: %s", typ, shown, why)
			return resDunno
		}
		servers = list
	}
	count := 0
	for _, server := range servers {
		if validHostAddr(server) {
			if res, found := ss.checkAddrAccess(t, table, server, st); found {
				return res
			}
			continue
		}
		if typ != serverA {
			if res, found := ss.checkDomainAccess(t, table, server, st); found {
				return res
			}
		}
		addrs, why := ss.deps.DNS.HostAddrs(server)
		if why != "" {
			if typ != serverA {
				ss.log.Warnf("Unable to look up %s host %s for %s %s: %s", typ, server, st.class, st.name, why)
			}
			continue
		}
		for _, a := range addrs {
			count++
			if count > rrListLimit {
				ss.log.Warnf("check_server_access: %s server address count limit (%d) exceeded for %s %s -- ignoring the remainder",
					typ, rrListLimit, st.class, st.name)
				return resDunno
			}
			if res, found := ss.checkAddrAccess(t, table, a, st); found {
				return res
			}
		}
	}
	return resDunno
}

// mailhostAddr is valid_mailhost_addr: the address inside an address
// literal, "ipv6:" prefixed for IPv6.
func mailhostAddr(s string) (string, bool) {
	if len(s) > 5 && strings.EqualFold(s[:5], "ipv6:") {
		if validHostAddr(s[5:]) && strings.Contains(s[5:], ":") {
			return s[5:], true
		}
		return "", false
	}
	if validHostAddr(s) && !strings.Contains(s, ":") {
		return s, true
	}
	return "", false
}

// serverNames is dns_lookup's check of the host names in MX and NS
// records: an address where a name belongs is used with a warning, a
// malformed name is dropped with one.
func (ss *Session) serverNames(hosts []string, typ, query string) []string {
	out := hosts[:0:0]
	for _, h := range hosts {
		switch {
		case validHostAddr(h):
			ss.log.Warnf("numeric domain name in resource data of %s record for %s: %s", typ, query, truncate(h, 100))
		case !validHostname(h) && h != "*" && !strings.HasPrefix(h, "*."):
			ss.log.Warnf("malformed domain name in resource data of %s record for %s: %s", typ, query, truncate(h, 100))
			continue
		}
		out = append(out, h)
	}
	return out
}

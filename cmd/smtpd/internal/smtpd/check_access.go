package smtpd

import (
	"errors"
	"strings"
)

var errNoTables = errors.New("no lookup table support")

// parentKeys returns the lookup keys for a domain and its parents: the
// domain itself, then each parent as "example.com" (when
// parent_domain_matches_subdomains covers smtpd_access_maps) or
// ".example.com".
func (ss *Session) parentKeys(domain string) []string {
	keys := []string{domain}
	for d := domain; ; {
		i := strings.IndexByte(d, '.')
		if i < 0 || i+1 >= len(d) {
			break
		}
		if ss.cfg.AccessMapsParentMatch {
			d = d[i+1:]
			keys = append(keys, d)
		} else {
			keys = append(keys, d[i:])
			d = d[i+1:]
		}
	}
	return keys
}

// addrKeys returns the IP address and its shortened forms (1.2.3.4,
// 1.2.3, 1.2, 1; IPv6 by ':'-separated groups).
func addrKeys(addr string) []string {
	sep := "."
	if strings.Contains(addr, ":") {
		sep = ":"
	}
	keys := []string{addr}
	for a := addr; ; {
		i := strings.LastIndex(a, sep)
		if i <= 0 {
			break
		}
		a = strings.TrimRight(a[:i], sep)
		if a == "" {
			break
		}
		keys = append(keys, a)
	}
	return keys
}

// checkAccess is check_{client,helo,sender,recipient}_access.
func (ss *Session) checkAccess(kind, table string, st stage) int {
	t, err := ss.openTable(table)
	if err != nil {
		return ss.reject(true, 451, "4.3.5", "Server configuration error")
	}
	var keys []string
	switch kind {
	case "check_client_access":
		if ss.client.Name != "unknown" {
			keys = append(keys, ss.parentKeys(strings.ToLower(ss.client.Name))...)
		}
		keys = append(keys, addrKeys(ss.client.Addr)...)
	case "check_reverse_client_hostname_access":
		if ss.client.ReverseName != "unknown" {
			keys = append(keys, ss.parentKeys(strings.ToLower(ss.client.ReverseName))...)
		}
		keys = append(keys, addrKeys(ss.client.Addr)...)
	case "check_helo_access", "check_etrn_access":
		keys = ss.parentKeys(strings.ToLower(st.name))
	default:
		addr := strings.ToLower(st.name)
		if addr == "" {
			keys = []string{ss.cfg.NullAccessKey}
			break
		}
		keys = append(keys, addr)
		if i := strings.LastIndexByte(addr, '@'); i >= 0 {
			if i+1 < len(addr) {
				keys = append(keys, ss.parentKeys(addr[i+1:])...)
			}
			keys = append(keys, addr[:i+1])
		}
	}
	for _, k := range keys {
		value, found, err := t.Lookup(k)
		if err != nil {
			ss.log.Warnf("%s: %s map lookup problem for %s", table, table, k)
			return ss.reject(true, 451, "4.3.0", "<%s>: %s rejected: Temporary lookup failure", st.name, st.class)
		}
		if found {
			return ss.accessResult(value, table, st)
		}
	}
	return resDunno
}

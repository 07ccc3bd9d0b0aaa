package smtpd

import "strings"

// Header address rewriting contexts (MAIL_ATTR_RWR_*): cleanup completes
// addresses in headers only for "local" clients.
const (
	rewriteLocal  = "local"
	rewriteRemote = "remote"
)

// checkRewrite is smtpd_check_rewrite: local_header_rewrite_clients
// decides the rewrite context cleanup gets for this client's mail. It
// returns a reply only when a table lookup fails.
func (ss *Session) checkRewrite() string {
	list := ss.cfg.LocalRewriteClients
	for i := 0; i < len(list); i++ {
		name, res := list[i], resDunno
		if strings.Contains(name, ":") {
			name = "check_address_map"
			i--
		}
		switch strings.ToLower(name) {
		case "permit_inet_interfaces":
			// The connection's own address: XCLIENT does not change it.
			if ss.deps.OwnAddr != nil && ss.deps.OwnAddr(ss.sockAddr) {
				res = resOK
			}
		case "permit_mynetworks":
			if ss.hostListMatch("mynetworks", ss.cfg.Mynetworks) {
				res = resOK
			}
		case "check_address_map":
			if i+1 >= len(list) {
				ss.log.Warnf("restriction `%s' requires maptype:mapname", name)
				i++
				continue
			}
			i++
			found, failed := ss.clientAddrMap(list[i])
			switch {
			case failed:
				ss.errMask |= errResource
				ss.logWhatsup("reject", "451 4.3.0 Temporary lookup error")
				return "451 4.3.0 Temporary lookup error"
			case found:
				res = resOK
			}
		case "permit_sasl_authenticated":
			if ss.saslActive() {
				res = ss.permitSASL()
			}
		case "permit_tls_clientcerts", "permit_tls_all_clientcerts":
			// No client certificate is ever trusted for relaying here
			// (relay_clientcerts is not supported).
		default:
			ss.log.Warnf("parameter local_header_rewrite_clients: invalid request: %s", name)
			continue
		}
		if res == resOK {
			ss.rewriteContext = rewriteLocal
			return ""
		}
	}
	ss.rewriteContext = rewriteRemote
	return ""
}

// clientAddrMap looks the client address up in a table list
// (maps_find with the address as key).
func (ss *Session) clientAddrMap(spec string) (found, failed bool) {
	t, err := ss.openTable(spec)
	if err != nil {
		return false, true
	}
	_, found, err = t.Lookup(ss.client.Addr)
	return found, err != nil
}

package smtpd

import (
	"strings"

	"gopostfix/libglobal/smtpreply"
)

// rejectFooter returns a 4xx/5xx reply with the smtpd_reject_footer_maps
// or smtpd_reject_footer text added (smtpd_chat.c): the maps are searched
// with the whole reply text as the key, the parameter is the fallback.
func (ss *Session) rejectFooter(text string) string {
	if text == "" || (text[0] != '4' && text[0] != '5') {
		return text
	}
	footer := ""
	for _, spec := range ss.cfg.RejectFooterMaps {
		t, err := ss.openTable(spec)
		if err != nil {
			break
		}
		if v, found, err := t.Lookup(text); err == nil && found {
			footer = v
			break
		} else if err != nil {
			break
		}
	}
	if footer == "" {
		footer = ss.cfg.RejectFooter
	}
	if footer == "" {
		return text
	}
	out, _ := smtpreply.Footer(text, footer, ss.cfg.ExpandFilter, ss.expandLookup, func(s string) { ss.log.Warnf("%s", s) })
	return out
}

// expandLookup is smtpd_expand_lookup: the session attributes a reply
// footer may name. Unknown names are reported and expand to nothing.
func (ss *Session) expandLookup(name string) (string, bool) {
	addr := func(a string, isSet bool, suffix string) (string, bool) {
		if !isSet {
			return "", true
		}
		switch suffix {
		case "":
			if a == "" {
				return "<>", true
			}
			return a, true
		case "_name":
			if a == "" {
				return "<>", true
			}
			if i := strings.LastIndexByte(a, '@'); i >= 0 {
				return a[:i], true
			}
			return a, true
		case "_domain":
			if i := strings.LastIndexByte(a, '@'); a != "" && i >= 0 {
				return a[i+1:], true
			}
			return "", true
		}
		ss.log.Warnf("unknown macro name \"%s\" in expansion request", name)
		return "", false
	}
	switch name {
	case "server_name":
		return ss.cfg.MyHostname, true
	case "client":
		return ss.namaddr, true
	case "client_port":
		return ss.client.Port, true
	case "client_address":
		return ss.client.Addr, true
	case "client_name":
		return ss.client.Name, true
	case "reverse_client_name":
		return ss.client.ReverseName, true
	case "helo_name":
		return ss.heloName, true
	case "localtime":
		return ss.deps.Now().Format("Jan 02 15:04:05"), true
	}
	if strings.HasPrefix(name, "sender") {
		return addr(ss.sender, ss.inMail, name[len("sender"):])
	}
	if strings.HasPrefix(name, "recipient") {
		return addr(ss.recipient, ss.recipient != "", name[len("recipient"):])
	}
	ss.log.Warnf("unknown macro name \"%s\" in expansion request", name)
	return "", false
}

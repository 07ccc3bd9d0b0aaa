package main

import (
	"strings"

	"gopostfix/libglobal/params"
	"gopostfix/libglobal/util/validhost"
)

// validSite checks a -s argument: an address literal "[1.2.3.4]" or
// "[IPv6:...]" when it starts with "[" (valid_mailhost_literal), else a
// host name (valid_hostname).
func validSite(site string) bool {
	if strings.HasPrefix(site, "[") {
		return validhost.MailhostLiteral(site)
	}
	return params.CheckHostname(site) == ""
}

// Package dns is the DNS client of the mail programs, Postfix's
// src/dns/dns_lookup.c in Go on github.com/miekg/dns: queries go to the
// name servers of /etc/resolv.conf (or the ones a caller names), over
// UDP with a TCP retry on truncation, and the answers are reduced to the
// outcome classes Postfix's callers act on: found, not found (NXDOMAIN or
// no records of the type), null MX (RFC 7505), or a temporary failure.
//
// It serves smtpd's reject_unknown_* checks, the DNS black/white list
// restrictions (reject_rbl_client, reject_rhsbl_*, permit_dnswl_client)
// and dnsblog.
//
// Deliberate differences: no search-list or default-domain expansion
// (Postfix's callers of these lookups do not ask for it), no DNSSEC
// validation status, and CNAME chains are followed only inside one
// answer.
package dns

// Command smtp is the Postfix SMTP and LMTP delivery agent (smtp(8),
// lmtp(8)): one program with two personalities chosen by the name it
// runs under. It takes one delivery request at a time from qmgr, looks
// up the nexthop (MX, A/AAAA, or a UNIX-domain socket for LMTP),
// connects with fallback to other addresses and relays, speaks SMTP or
// LMTP with pipelining, SIZE, 8BITMIME (with the quoted-printable
// downgrade), DSN, SMTPUTF8, XFORWARD, STARTTLS and SASL
// authentication, reports every recipient to the bounce, defer and trace
// services with Postfix's exact texts and log lines, and keeps idle
// connections in scache for later deliveries.
//
// Deliberate differences: TLS is Go's crypto/tls (cipher grades and
// exclusions are not interpreted, no TLS session cache, no tlsproxy, so
// TLS connections are never cached); DANE degrades as without DNSSEC
// (dane becomes may, dane-only fails); SASL offers CRAM-MD5, PLAIN and
// LOGIN only; smtp_header_checks, smtp_body_checks, smtp_reply_filter,
// smtp_dns_reply_filter, smtp_tls_per_site and the PIX workarounds are
// not implemented.
package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"

	"gopostfix/libmaster"
)

func main() {
	var lmtp bool
	switch name := filepath.Base(os.Args[0]); name {
	case "smtp":
	case "lmtp":
		lmtp = true
	default:
		fmt.Fprintf(os.Stderr, "%s: fatal: unexpected process name \"%s\" - specify \"smtp\" or \"lmtp\"\n", name, name)
		os.Exit(1)
	}
	var a *agent
	libmaster.SingleServerMain(os.Args, func(s *libmaster.Server, c net.Conn) { a.serve(c) },
		libmaster.Options{PreInit: func(s *libmaster.Server) (err error) { a, err = newAgent(s, lmtp); return err }})
}

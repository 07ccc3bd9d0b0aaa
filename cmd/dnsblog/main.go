// Command dnsblog is the Postfix DNS allow/denylist logger (dnsblog(8)):
// for each connection on private/dnsblog it reads one request from
// postscreen(8) (a DNSBL domain, a client address and a request label),
// looks up the A records of the reversed address under the domain,
// logs "addr ADDR listed by domain DOMAIN as RESULT" for each one, and
// replies with the request, the addresses (space separated, empty when
// not listed) and the reply TTL: the lowest A record TTL, the SOA TTL of
// a negative answer (RFC 2308), or -1. A failed lookup is logged as a
// warning and answered as "not listed" with TTL -1. dnsblog_reply_delay
// delays each reply (for tests).
//
// It is a single-client server with no process limit (master.cf process
// limit 0), retires like Postfix's, and ignores max_use.
//
// Deliberate differences: DNS queries go through libglobal/dns (miekg/dns
// with the servers of /etc/resolv.conf) instead of the C resolver; an
// invalid query name is answered as "not listed" without a warning.
package main

import (
	"net"
	"os"

	"gopostfix/libmaster"
)

func main() {
	libmaster.SingleServerMain(os.Args, serve, libmaster.Options{
		Unlimited: true,
		Retire:    true,
		PostInit:  func(s *libmaster.Server) error { s.NoUseLimit(); return nil },
	})
}

func serve(s *libmaster.Server, c net.Conn) {
	if len(s.Flags.Args) > 0 {
		s.Log.Fatalf("unexpected command-line argument: %s", s.Flags.Args[0])
		os.Exit(1)
	}
	newLogger(s).serve(c)
}

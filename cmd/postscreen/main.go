// Command postscreen is the Postfix zombie blocker (postscreen(8)): one
// process screens every inbound SMTP connection and hands the clients
// that pass to smtpd(8) over the smtpd "pass" service, descriptor and
// endpoint attributes included.
//
// Before the greeting it runs the pregreet test (a "220-" teaser line,
// then postscreen_greet_wait for the client to talk out of turn) and the
// DNSBL test (weighted postscreen_dnsbl_sites answered by dnsblog(8),
// postscreen_dnsbl_threshold, the allowlist threshold, reply filters and
// postscreen_dnsbl_reply_map); postscreen_access_list (permit, reject,
// dunno, permit_mynetworks, tables) comes first. After the greeting, a
// dummy SMTP engine runs the deep protocol tests (pipelining, non-SMTP
// commands, bare newlines); it refuses every recipient, so a client that
// passes them must come back, and is handed to smtpd then. Each failure
// is handled by its *_action (drop, enforce, ignore). Test results are
// kept in postscreen_cache_map (a dict_cache with periodic cleanup), so
// that returning clients are handed over at once ("PASS OLD").
// postscreen_upstream_proxy_protocol = haproxy reads PROXY v1 and v2
// headers. Log lines are Postfix's: CONNECT, PASS NEW/OLD, PREGREET,
// DNSBL rank, HANGUP, DISCONNECT, NOQUEUE: reject: RCPT, and the rest.
//
// Lookups in the cache, the command filter and the EHLO and footer maps
// are timed; a running average above 100 ms is logged ("psc_dict_get:
// TABLE lookup average delay is N ms"), at most once a minute.
//
// 4XX and 5XX replies get the postscreen_reject_footer_maps or
// postscreen_reject_footer text, with $server_name, $client_address,
// $client_port and $localtime expanded.
//
// Deliberate difference: "postfix reload" and a changed table end the
// process at once instead of finishing the sessions in progress in the
// background.
package main

import (
	"net"
	"os"

	"gopostfix/libmaster"
)

func main() {
	sc := &screen{}
	libmaster.EventServerMain(os.Args, func(s *libmaster.Server, c net.Conn) { sc.serve(c) },
		libmaster.EventOptions{Options: libmaster.Options{
			Solitary: true,
			PreInit:  sc.preInit,
			PostInit: sc.postInit,
			OnExit:   func(*libmaster.Server) { sc.exit() },
		}})
}

// Command smtpd is the Postfix SMTP server (smtpd(8) of Postfix 3.7): it
// accepts mail over SMTP from the network, applies the smtpd_*
// restrictions (access tables, DNS checks, policy delegation) and hands
// accepted messages to the cleanup service, answering with Postfix's
// exact replies and logging Postfix's lines. It runs under master(8) as
// a single server, one client per process, or with -S on standard input.
// Sessions with errors of the notify_classes classes are mailed to the
// postmaster (error_notice_recipient) as a transcript, posted through
// cleanup from the double-bounce address.
//
// The dialogue engine is in internal/smtpd; this program wires it to
// main.cf, the lookup tables, trivial-rewrite, cleanup, DNS, the policy
// servers and the flush service. Differences from Postfix are listed in
// the engine's package documentation. When it starts, it opens the
// tables of every table parameter that the real smtpd opens then, in
// the same order, so that the start-up log and the fatal open errors
// agree; among them are some whose features it lacks
// (smtpd_authorized_verp_clients, permit_mx_backup_networks,
// relay_clientcerts, debug_peer_list,
// smtpd_discard_ehlo_keyword_address_maps): these it opens and never
// searches, so a session does not log the lookup warnings the real one
// logs for them. smtpd_command_filter rewrites each command line before
// it is parsed. With smtpd_proxy_filter (smtpd_proxy_ehlo,
// smtpd_proxy_timeout, smtpd_proxy_options) mail goes to a before-queue
// content filter over SMTP instead of cleanup. Milters (smtpd_milters, smtpd_milter_maps) go through
// libglobal/milter; at DATA their connections are handed to cleanup,
// which runs the content events.
//
// The Milter settings are milter_connect_timeout,
// milter_command_timeout, milter_content_timeout, milter_protocol,
// milter_default_action, milter_macro_defaults, milter_connect_macros,
// milter_helo_macros, milter_mail_macros, milter_rcpt_macros,
// milter_data_macros, milter_end_of_header_macros,
// milter_end_of_data_macros, milter_unknown_command_macros and
// soft_bounce.
package main

import (
	"net"
	"os"
	"time"

	"gopostfix/libmaster"
)

// timerSlack lets the kernel batch the Go runtime's frequent wake-ups
// (libmaster.Options); every timeout smtpd applies is a second or more.
const timerSlack = 50 * time.Millisecond

// gcPercent is Go's default heap target (4 MB at least), set so that
// libmaster returns the start-up garbage (libmaster.Options): 25 kept
// the process about 1 MB smaller but collected every few tens of
// sessions, 7% of smtpd's CPU in the benchmark (tests/bench/smtpd.sh).
const gcPercent = 100

func main() {
	var d *daemon
	libmaster.SingleServerMain(os.Args, func(s *libmaster.Server, c net.Conn) {
		d.serve(s, c)
	}, libmaster.Options{
		BlockingIO: true,
		TimerSlack: timerSlack,
		GCPercent:  gcPercent,
		PreInit: func(s *libmaster.Server) error {
			var err error
			d, err = newDaemon(s)
			return err
		},
	})
}

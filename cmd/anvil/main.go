// Command anvil is Postfix's connection and rate limiting server
// (anvil(8) of Postfix 3.7): smtpd reports connect, disconnect, message,
// recipient, new TLS session and AUTH events per (service, client
// address) on private/anvil and learns the concurrent connection count
// and the event rates in the current anvil_rate_time_unit; the peaks are
// logged every anvil_status_update_time and at exit.
//
// It is a solitary multi server speaking the plain attribute encoding.
// It ignores max_use and exits after max_idle without clients, but no
// earlier than one anvil_rate_time_unit, logging the peaks on its way
// out as Postfix's does.
package main

import (
	"os"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libmaster"
)

func main() {
	var a *anvil
	libmaster.MultiServerMain(os.Args, func(s *libmaster.Server, c *attr.Conn) error {
		return a.serve(c)
	}, libmaster.MultiOptions{
		Format: attr.FormatPlain,
		Options: libmaster.Options{
			Solitary: true,
			PostInit: func(s *libmaster.Server) error {
				if len(s.Flags.Args) > 0 {
					s.Log.Fatalf("unexpected command-line argument: %s", s.Flags.Args[0])
				}
				a = newAnvil(s.Log, s.Time("anvil_rate_time_unit"), nowFunc)
				a.startReports(s.Time("anvil_status_update_time"))
				s.NoUseLimit()
				s.IdleAtLeast(s.Time("anvil_rate_time_unit"))
				return nil
			},
			OnExit: func(s *libmaster.Server) { a.report() },
		},
		OnConnect: func(s *libmaster.Server, c *attr.Conn) error {
			return c.Announce("anvil_protocol")
		},
		OnDisconnect: func(s *libmaster.Server, c *attr.Conn) { a.done(c) },
	})
}

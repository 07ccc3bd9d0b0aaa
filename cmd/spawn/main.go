// Command spawn is Postfix's external command spawner (spawn(8) of
// Postfix 3.7): for each connection to its master.cf service it runs the
// command given in the entry, with the client connection as the
// command's standard input, output and error. It is how a policy server
// written as a simple filter program is offered to smtpd:
//
//	policy  unix  -  n  n  -  0  spawn
//	  user=nobody argv=/path/to/policy-server
//
// The arguments after the daemon options are "user=name[:group]" (the
// identity the command runs as; never root or the mail system owner) and
// "argv=command args..." (everything after it). The command runs in its
// own session, with the environment reduced to export_environment and
// PATH=/usr/bin:/bin; it is killed, with every process of its group,
// when it runs longer than $<service>_time_limit (default
// $command_time_limit). A failure is logged ("command X exit status N",
// "command X killed by signal N").
//
// Between commands the process runs with the mail system owner's
// effective identity, as Postfix's does. Deliberate differences: none
// known.
package main

import (
	"net"
	"os"

	"gopostfix/libmaster"
)

func main() {
	var sp *spawner
	libmaster.SingleServerMain(os.Args, func(s *libmaster.Server, c net.Conn) {
		sp.serve(s, c)
	}, libmaster.Options{
		Privileged: true,
		PostInit:   func(s *libmaster.Server) (err error) { sp, err = newSpawner(s); return err },
	})
}

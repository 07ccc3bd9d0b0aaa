// Command local is the Postfix local delivery agent (local(8)). It takes
// delivery requests from qmgr on the "local" service and delivers each
// recipient: alias_maps expansion (with :include: files, |command,
// /file and owner- aliases), $HOME/.forward files per forward_path,
// mailbox_transport, mailbox_command, Maildir (home_mailbox ending in
// "/"), or an mbox file in mail_spool_directory locked as
// mailbox_delivery_lock says. Mail that must leave this delivery (owner
// aliases, :include: lists, non-local addresses) is forwarded through
// cleanup(8) as a new message. Delivered-To: headers stop forwarding
// loops; every write to a user's file or command runs with that user's
// privileges.
//
// Deliberate differences: privileges are switched for the whole process
// (Go applies set*id to all threads), commands run through os/exec;
// biff notifications are not sent; a looping recipient with an owner-
// alias whose problem is temporary is deferred in the normal way instead
// of through a one-recipient notice.
package main

import (
	"net"
	"os"

	"gopostfix/libmaster"
)

func main() {
	var a *agent
	libmaster.SingleServerMain(os.Args, func(s *libmaster.Server, c net.Conn) {
		a.serve(c)
	}, libmaster.Options{
		Privileged: true,
		PreInit:    func(s *libmaster.Server) error { var err error; a, err = newAgent(s); return err },
		PostInit:   func(s *libmaster.Server) error { return a.postInit() },
	})
}

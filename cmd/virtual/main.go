// Command virtual is Postfix's virtual mailbox delivery agent
// (virtual(8)). It takes delivery requests from qmgr and delivers each
// recipient into a mailbox found by a lookup of the full recipient
// address (case-folded): $virtual_mailbox_base/ followed by the
// virtual_mailbox_maps value, an mbox file locked as virtual_mailbox_lock
// says, or a Maildir when the value ends in "/". The file is written with
// the numeric user and group IDs that virtual_uid_maps and
// virtual_gid_maps give for the address (user IDs below
// virtual_minimum_uid are refused). Tables are searched in
// mail_addr_find order: user+ext@domain, user@domain, then @domain;
// proxy: tables are opened directly. A recipient without a mailbox is
// bounced ("unknown user"); configuration and lookup problems defer.
// virtual_mailbox_limit becomes the process's file size limit.
//
// Deliberate differences: privileges are switched for the whole process
// (Go applies set*id to all threads); the "table has changed" restart
// happens after a request instead of before the next accept.
package main

import (
	"os"

	"gopostfix/libmaster"
)

func main() {
	libmaster.SingleServiceMain(os.Args, libmaster.Options{Privileged: true},
		newAgent, (*agent).postInit, (*agent).serve)
}

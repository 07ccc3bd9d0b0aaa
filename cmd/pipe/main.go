// Command pipe is Postfix's pipe(8) delivery agent: it delivers a
// message by running an external command given in master.cf after the
// program name:
//
//	flags=BDFORXhqu.>  user=USER[:GROUP]  size=LIMIT  eol=\n
//	null_sender=TEXT  directory=DIR  chroot=DIR  argv=COMMAND ARGS...
//
// The command runs without a shell, as USER (never root or mail_owner),
// with $sender, $nexthop, $recipient, $original_recipient, $user,
// $extension, $mailbox, $domain, $size, $queue_id, $client_address,
// $client_helo, $client_hostname, $client_port, $client_protocol,
// $sasl_method, $sasl_sender and $sasl_username (also as ${name} and
// $(name)) replaced in its arguments; an argument that names a recipient
// macro is repeated for every recipient. The message is written to the
// command's standard input with the headers the flags ask for; the time
// limit is TRANSPORT_time_limit ($command_time_limit). The exit status
// decides the delivery status: 0 is success ("delivered via TRANSPORT
// service"), <sysexits.h> codes and "X.Y.Z text" output give bounces or
// deferrals.
//
// Deliberate differences: privileges are switched for the whole process
// (Go applies set*id to all threads); the command is started with
// os/exec (see libglobal/pipecmd); the "table has changed" restart
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

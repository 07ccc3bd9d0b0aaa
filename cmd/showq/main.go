// Command showq is Postfix's queue listing service, as showq(8) of
// Postfix 3.7: a single_server on public/showq that, for each connection,
// walks the maildrop, active, incoming, deferred and hold queues and
// sends one entry per complete queue file (queue, ID, arrival time,
// message size, forced-expire flag, sender and the recipients still to
// deliver, with the reasons found in the defer logfile first) in the
// showq protocol that postqueue(1) and mailq(1) read. It takes no
// command-line arguments of its own; run as "showq -S" it serves
// standard input and output, which postqueue uses as root when the mail
// system is down.
//
// Parameters: duplicate_filter_limit, empty_address_recipient,
// smtputf8_enable (printable UTF-8), hash_queue_names, hash_queue_depth.
//
// Deliberate differences: none known.
package main

import (
	"net"
	"os"

	"gopostfix/libmaster"
)

func main() {
	var cfg *config
	libmaster.SingleServerMain(os.Args, func(s *libmaster.Server, c net.Conn) {
		serve(cfg, s, c)
	}, libmaster.Options{
		PreInit: func(s *libmaster.Server) (err error) { cfg, err = newConfig(s); return err },
	})
}

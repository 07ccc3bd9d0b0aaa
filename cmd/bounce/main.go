package main

import (
	"net"
	"os"

	"gopostfix/libmaster"
)

func main() {
	var d *daemon
	libmaster.SingleServerMain(os.Args, func(s *libmaster.Server, c net.Conn) {
		d.serve(c)
	}, libmaster.Options{
		Unlimited: true,
		PreInit:   func(s *libmaster.Server) error { d = newDaemon(s); return d.loadTemplates() },
		PostInit:  func(s *libmaster.Server) error { return d.postInit() },
	})
}

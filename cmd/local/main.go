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

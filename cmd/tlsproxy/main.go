package main

import (
	"net"
	"os"

	"gopostfix/libmaster"
)

func main() {
	p := &proxy{}
	libmaster.EventServerMain(os.Args, func(s *libmaster.Server, c net.Conn) { go p.serve(s, c) },
		libmaster.EventOptions{Options: libmaster.Options{
			Unlimited: true,
			Retire:    true,
			PreInit:   p.preInit,
		}})
}

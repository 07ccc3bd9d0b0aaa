package main

import (
	"os"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libmaster"
)

func main() {
	var p *proxy
	libmaster.MultiServerMain(os.Args, func(s *libmaster.Server, c *attr.Conn) error {
		return p.serve(c)
	}, libmaster.MultiOptions{
		Options: libmaster.Options{
			PostInit: func(s *libmaster.Server) error {
				reg := maptypes.NewRegistry(s.Log)
				reg.Params = s.Config.Param
				reg.AllowSurrogate = true
				var err error
				p, err = newProxy(s, reg)
				return err
			},
		},
		OnConnect: func(s *libmaster.Server, c *attr.Conn) error {
			p.preAccept()
			return c.Announce(Protocol)
		},
	})
}

package main

import (
	"os"
	"time"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libmaster"
)

func main() {
	var r *rewriter
	var reg *dict.Registry
	var serverFlags int
	var lastCheck time.Time
	libmaster.MultiServerMain(os.Args, func(s *libmaster.Server, c *attr.Conn) error {
		if serverFlags == 0 && time.Since(lastCheck) > 10*time.Second {
			if name := changedTable(reg); name != "" {
				s.Log.Infof("table %s has changed -- restarting", name)
				serverFlags = 1
			}
			lastCheck = time.Now()
		}
		return r.serve(c, serverFlags)
	}, libmaster.MultiOptions{
		Options: libmaster.Options{
			PreInit: func(s *libmaster.Server) error {
				reg = maptypes.NewRegistry(s.Log)
				var err error
				r, err = newRewriter(s, reg, s.Log, s.Config.Dir())
				return err
			},
		},
		OnConnect: func(s *libmaster.Server, c *attr.Conn) error {
			return c.Announce(rewrite.Protocol)
		},
	})
}

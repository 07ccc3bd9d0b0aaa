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
				reg.Params = s.Config.Param
				// As every Postfix daemon (dict_allow_surrogate): a
				// table that cannot be opened fails its lookups, and
				// the lookup failure reaches the client as a
				// temporary error, instead of trivial-rewrite dying at
				// start-up.
				reg.AllowSurrogate = true
				var err error
				r, err = newRewriter(s, reg, s.Log, s.Config.Dir())
				return err
			},
			PostInit: func(s *libmaster.Server) error {
				r.loadWildcards()
				return nil
			},
		},
		OnConnect: func(s *libmaster.Server, c *attr.Conn) error {
			return c.Announce(rewrite.Protocol)
		},
	})
}

// Command trivial-rewrite is Postfix's trivial-rewrite(8) daemon: the
// address rewriting ("rewrite": the local and remote contexts,
// append_at_myorigin, append_dot_mydomain, swap_bangpath,
// allow_percent_hack) and resolving ("resolve", "verify": the address
// classes local, virtual alias, virtual mailbox, relay and default with
// their transports and next hops, transport_maps, relocated_maps,
// relayhost and the sender-dependent maps) services on private/rewrite.
//
// It is a multi server started by master(8). Differences: the "table
// has changed" check restarts the process only between clients.
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

// Command discard is the Postfix discard mail delivery agent
// (discard(8)): it reports every recipient of a delivery request as
// delivered (status=sent, relay=none) with the next-hop field as reason
// ("X.Y.Z text", status 2.0.0 when no code is given), and marks the
// recipients done in the queue file.
//
// Deliberate differences: none known.
package main

import (
	"net"
	"os"

	"gopostfix/libglobal/bounce"
	"gopostfix/libmaster"
)

func main() {
	var env *bounce.AgentEnv
	libmaster.SingleServerMain(os.Args, func(s *libmaster.Server, c net.Conn) {
		serve(env, s, c)
	}, libmaster.Options{
		PreInit: func(s *libmaster.Server) (err error) { env, err = bounce.NewAgentEnv(s.Log, s.Config); return err },
	})
}

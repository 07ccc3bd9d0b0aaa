// Command error is the Postfix error/retry mail delivery agent
// (error(8)). Under the service name "error" it bounces every recipient
// of a delivery request with the reason in the next-hop field ("X.Y.Z
// text", status 5.0.0 when no code is given); under "retry" it defers
// them (4.0.0). Each recipient is reported to the bounce or defer
// service and logged with relay=none; bounced recipients are marked done
// in the queue file.
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

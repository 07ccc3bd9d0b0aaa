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

package main

import (
	"net"
	"os"

	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libmaster"
)

// serve handles one connection from qmgr (discard_service).
func serve(env *bounce.AgentEnv, s *libmaster.Server, c net.Conn) {
	if len(s.Flags.Args) > 0 {
		fatal(s, "unexpected command-line argument: %s", s.Flags.Args[0])
	}
	err := deliver.Serve(c, env.Layout, s.Log, s.IPCTimeout, func(ag *deliver.Agent, req *deliver.Request) (int, error) {
		if req.Nexthop == "" {
			fatal(s, "empty nexthop hostname")
		}
		d := dsn.Simple(dsn.Split("2.0.0", req.Nexthop))
		return ag.ReportEach(req, d, req.Flags&deliver.FlagSuccess != 0, env.Status.Sent)
	})
	if err != nil {
		fatal(s, "%v", err)
	}
}

func fatal(s *libmaster.Server, format string, args ...any) {
	s.Log.Fatalf(format, args...)
	os.Exit(1)
}

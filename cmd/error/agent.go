package main

import (
	"net"
	"os"

	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libmaster"
)

// serve handles one connection from qmgr (error_service): "error"
// bounces, "retry" defers.
func serve(env *bounce.AgentEnv, s *libmaster.Server, c net.Conn) {
	if len(s.Flags.Args) > 0 {
		fatal(s, "unexpected command-line argument: %s", s.Flags.Args[0])
	}
	err := deliver.Serve(c, env.Layout, s.Log, s.IPCTimeout, func(ag *deliver.Agent, req *deliver.Request) (int, error) {
		if req.Nexthop == "" {
			fatal(s, "empty nexthop hostname")
		}
		switch s.Name {
		case "error":
			return ag.ReportEach(req, nexthopDSN("5.0.0", req), true, env.Status.BounceAppend)
		case "retry":
			return ag.ReportEach(req, nexthopDSN("4.0.0", req), true, env.Status.DeferAppend)
		}
		fatal(s, "bad error service name: %s", s.Name)
		return 0, nil
	})
	if err != nil {
		fatal(s, "%v", err)
	}
}

// nexthopDSN turns the next-hop text "X.Y.Z text" into a status.
func nexthopDSN(def string, req *deliver.Request) dsn.DSN {
	return dsn.Simple(dsn.Split(def, req.Nexthop))
}

func fatal(s *libmaster.Server, format string, args ...any) {
	s.Log.Fatalf(format, args...)
	os.Exit(1)
}

package main

import (
	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libmaster"
	"gopostfix/libmaster/simpleagent"
)

// deliverError reports every recipient with the next hop as the reason
// (error_service): the "error" service bounces, "retry" defers.
func deliverError(s *libmaster.Server, env *bounce.AgentEnv, a *deliver.Agent, req *deliver.Request) (int, error) {
	switch s.Name {
	case "error":
		return a.ReportEach(req, nexthopDSN("5.0.0", req), true, env.Status.BounceAppend)
	case "retry":
		return a.ReportEach(req, nexthopDSN("4.0.0", req), true, env.Status.DeferAppend)
	}
	simpleagent.Fatal(s, "bad error service name: %s", s.Name)
	return 0, nil
}

// nexthopDSN turns the next-hop text "X.Y.Z text" into a status.
func nexthopDSN(def string, req *deliver.Request) dsn.DSN {
	return dsn.Simple(dsn.Split(def, req.Nexthop))
}

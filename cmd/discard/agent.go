package main

import (
	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libmaster"
)

// discard reports every recipient as delivered, with the next hop as the
// reason (discard_service): "X.Y.Z text", or "2.0.0" before the text.
func discard(s *libmaster.Server, env *bounce.AgentEnv, a *deliver.Agent, req *deliver.Request) (int, error) {
	d := dsn.Simple(dsn.Split("2.0.0", req.Nexthop))
	return a.ReportEach(req, d, req.Flags&deliver.FlagSuccess != 0, env.Status.Sent)
}

package main

import (
	"net"
	"os"

	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/queue"
	"gopostfix/libmaster"
)

// agent is the error/retry delivery agent of one process.
type agent struct {
	layout *queue.Layout
	client *bounce.Client
}

func newAgent(s *libmaster.Server) (*agent, error) {
	l, err := queue.NewLayout("", s.Config)
	if err != nil {
		return nil, err
	}
	c, err := bounce.New(s.Log, s.Config, nil)
	if err != nil {
		return nil, err
	}
	return &agent{layout: l, client: c}, nil
}

// serve handles one connection from qmgr (error_service): "error"
// bounces, "retry" defers.
func (a *agent) serve(s *libmaster.Server, c net.Conn) {
	if len(s.Flags.Args) > 0 {
		fatal(s, "unexpected command-line argument: %s", s.Flags.Args[0])
	}
	err := deliver.Serve(c, a.layout, s.Log, s.IPCTimeout, func(ag *deliver.Agent, req *deliver.Request) (int, error) {
		if req.Nexthop == "" {
			fatal(s, "empty nexthop hostname")
		}
		switch s.Name {
		case "error":
			return ag.ReportEach(req, nexthopDSN("5.0.0", req), true, a.client.BounceAppend)
		case "retry":
			return ag.ReportEach(req, nexthopDSN("4.0.0", req), true, a.client.DeferAppend)
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

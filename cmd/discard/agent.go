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

// agent is the discard delivery agent of one process.
type agent struct {
	layout *queue.Layout
	client *bounce.Client
}

// init prepares the queue layout and the status client.
func (a *agent) init(s *libmaster.Server) (err error) {
	if a.layout, err = queue.NewLayout("", s.Config); err != nil {
		return err
	}
	a.client, err = bounce.New(s.Log, s.Config, nil)
	return err
}

// serve handles one connection from qmgr (discard_service).
func (a *agent) serve(s *libmaster.Server, c net.Conn) {
	if len(s.Flags.Args) > 0 {
		fatal(s, "unexpected command-line argument: %s", s.Flags.Args[0])
	}
	err := deliver.Serve(c, a.layout, s.Log, s.IPCTimeout, func(ag *deliver.Agent, req *deliver.Request) (int, error) {
		if req.Nexthop == "" {
			fatal(s, "empty nexthop hostname")
		}
		d := dsn.Simple(dsn.Split("2.0.0", req.Nexthop))
		return ag.ReportEach(req, d, req.Flags&deliver.FlagSuccess != 0, a.client.Sent)
	})
	if err != nil {
		fatal(s, "%v", err)
	}
}

func fatal(s *libmaster.Server, format string, args ...any) {
	s.Log.Fatalf(format, args...)
	os.Exit(1)
}

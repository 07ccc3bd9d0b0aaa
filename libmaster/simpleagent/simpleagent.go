// Package simpleagent is the skeleton of the delivery agents that need
// nothing but the delivery request and the status services: discard(8)
// and error(8) (also run as "retry"). Postfix writes the same steps in
// discard.c and error.c: a single server that takes no arguments of its
// own, reads one request per connection, refuses a request without a
// next hop, reports the recipients, and answers qmgr.
package simpleagent

import (
	"net"
	"os"
	"time"

	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libmaster"
)

// DeliverFunc handles one request whose next hop is not empty; its result
// is the status qmgr gets back (the OR of the recipients' report
// results). An error is fatal.
type DeliverFunc func(s *libmaster.Server, env *bounce.AgentEnv, a *deliver.Agent, req *deliver.Request) (int, error)

// options make the agent serve qmgr's connections with blocking system
// calls outside the Go network poller, and let the runtime's monitor
// thread sleep with a timer slack, as smtpd and cleanup do: an agent
// serves one short request at a time, and with the poller every request
// cost a round of epoll wake-ups and futex hand-offs between threads.
// The slack only delays the agent's own timers (daemon_timeout,
// max_idle) by at most that much.
var options = libmaster.Options{BlockingIO: true, TimerSlack: 50 * time.Millisecond}

// Main runs the agent. It does not return.
func Main(argv []string, fn DeliverFunc) {
	libmaster.SingleServiceMain(argv, options,
		func(s *libmaster.Server) (*agent, error) {
			env, err := bounce.NewAgentEnv(s.Log, s.Config)
			return &agent{s: s, env: env, deliver: fn}, err
		}, nil, (*agent).serve)
}

type agent struct {
	s       *libmaster.Server
	env     *bounce.AgentEnv
	deliver DeliverFunc
}

// serve handles one connection from qmgr.
func (a *agent) serve(c net.Conn) {
	s := a.s
	if len(s.Flags.Args) > 0 {
		Fatal(s, "unexpected command-line argument: %s", s.Flags.Args[0])
	}
	err := deliver.Serve(c, a.env.Layout, s.Log, s.IPCTimeout, func(ag *deliver.Agent, req *deliver.Request) (int, error) {
		if req.Nexthop == "" {
			Fatal(s, "empty nexthop hostname")
		}
		return a.deliver(s, a.env, ag, req)
	})
	if err != nil {
		Fatal(s, "%v", err)
	}
}

// Fatal logs a fatal error and ends the process.
func Fatal(s *libmaster.Server, format string, args ...any) {
	s.Log.Fatalf(format, args...)
	os.Exit(1)
}

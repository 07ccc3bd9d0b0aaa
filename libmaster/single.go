package libmaster

import "net"

// SingleService serves one client connection; the skeleton closes it
// afterwards.
type SingleService func(s *Server, c net.Conn)

// SingleServerMain runs a single-threaded server (single_server(3)): one
// client at a time, TAKEN/AVAIL around each, exit after max_use clients
// or max_idle idle time. It does not return.
func SingleServerMain(argv []string, service SingleService, opts Options) {
	opts.acceptLock = true
	s := start(argv, opts, "inet", "unix", "pass")
	if s.Flags.StandAlone {
		c := stdioConn()
		service(s, c)
		c.Close()
		s.Exit()
	}
	s.closeOnExec()
	a := s.newAcceptor()
	s.watchMaster()
	s.startTimers()
	for {
		c := a.next()
		s.clientBegin()
		s.Log.Debugf("connection established")
		s.status.notify(StatTaken)
		s.dog.Start()
		service(s, c)
		s.dog.Stop()
		c.Close()
		if !s.status.notify(StatAvail) {
			s.Log.Debugf("master disconnect -- exiting")
			s.Exit()
		}
		s.Log.Debugf("connection closed")
		s.clientEnd()
		if s.used() {
			s.Exit()
		}
	}
}

// SingleServiceMain is SingleServerMain for a service with state made at
// start-up, the shape of most delivery agents: newService makes it in
// PreInit (in the queue directory, before chroot and the privilege drop),
// postInit (when not nil) runs in PostInit, and serve gets each client
// connection with it. opts.PreInit and opts.PostInit are replaced.
func SingleServiceMain[T any](argv []string, opts Options, newService func(*Server) (T, error),
	postInit func(T) error, serve func(T, net.Conn)) {
	var svc T
	opts.PreInit = func(s *Server) (err error) {
		svc, err = newService(s)
		return err
	}
	opts.PostInit = nil
	if postInit != nil {
		opts.PostInit = func(*Server) error { return postInit(svc) }
	}
	SingleServerMain(argv, func(_ *Server, c net.Conn) { serve(svc, c) }, opts)
}

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

package libmaster

import (
	"net"
	"sync"

	"gopostfix/libglobal/util/attr"
)

// MultiService handles one request on a client connection; an error ends
// the connection.
type MultiService func(s *Server, c *attr.Conn) error

// MultiOptions adds what multi-client daemons declare.
type MultiOptions struct {
	Options
	// Format is the connection encoding (FormatPlain for anvil).
	Format attr.Format
	// OnConnect runs when a client connects (announcements go here); an
	// error closes the connection. OnDisconnect runs before it is closed.
	OnConnect    func(s *Server, c *attr.Conn) error
	OnDisconnect func(s *Server, c *attr.Conn)
}

// MultiServerMain runs a multi-client server (multi_server(3)). Requests
// are handled one at a time, as in Postfix's single-threaded event loop,
// so services need no locking of their own. It exits after max_use
// clients have disconnected and none remains, or after max_idle without
// clients. It does not return.
func MultiServerMain(argv []string, service MultiService, opts MultiOptions) {
	s := start(argv, opts.Options, "inet", "unix", "pass")
	var serial sync.Mutex
	serve := func(nc net.Conn) {
		name := s.Name + " socket"
		if s.Flags.StandAlone {
			// Postfix's -S stream on stdin has no name of its own.
			name = "unknown_stream"
		}
		c := attr.NewConn(nc, opts.Format, name, s.IPCTimeout)
		s.clientBegin()
		defer func() {
			if opts.OnDisconnect != nil {
				serial.Lock()
				opts.OnDisconnect(s, c)
				serial.Unlock()
			}
			c.Close()
			s.Log.Debugf("connection closed")
			s.clientEnd()
			if s.used() && !s.busy() {
				s.Exit()
			}
		}()
		// A one-shot server on stdin (-S) gets no post-accept call, so no
		// protocol announcement.
		if opts.OnConnect != nil && !s.Flags.StandAlone {
			serial.Lock()
			err := opts.OnConnect(s, c)
			serial.Unlock()
			if err != nil {
				return
			}
		}
		for {
			if err := c.Wait(); err != nil {
				return
			}
			// Requests are served one at a time, each bracketed by
			// TAKEN and AVAIL, as in Postfix's single-threaded loop.
			serial.Lock()
			s.status.take()
			s.dog.Start()
			err := service(s, c)
			s.dog.Stop()
			ok := s.status.release()
			serial.Unlock()
			if !ok {
				s.Exit()
			}
			if err != nil {
				return
			}
		}
	}
	if s.Flags.StandAlone {
		serve(stdioConn())
		s.Exit()
	}
	s.acceptAll(serve)
}

// acceptAll is the serving loop of the multi and event servers:
// descriptors closed on exec, master watched, timers started, then every
// listener accepts, each connection served in its own goroutine.
func (s *Server) acceptAll(serve func(net.Conn)) {
	s.closeOnExec()
	ls := s.listeners()
	s.watchMaster()
	s.startTimers()
	for _, l := range ls[1:] {
		go acceptForever(s, l, serve)
	}
	acceptForever(s, ls[0], serve)
}

// acceptForever hands each connection of l to serve in its own goroutine.
func acceptForever(s *Server, l net.Listener, serve func(net.Conn)) {
	for {
		c, err := s.accept(l)
		if err != nil {
			if !isTemporary(err) {
				s.Log.Errorf("accept connection: %v", err)
			}
			continue
		}
		s.Log.Debugf("connection established")
		go serve(c)
	}
}

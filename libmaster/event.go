package libmaster

import (
	"net"
	"sync"
)

// EventService takes over a client connection. It runs with the process
// reported busy and returns quickly; when it is finished with the
// connection, it (or a goroutine it started) calls Server.Disconnect.
type EventService func(s *Server, c net.Conn)

// EventOptions adds what event-driven daemons declare.
type EventOptions struct {
	Options
	// PreDisconnect runs in Disconnect before the connection is closed.
	PreDisconnect func(s *Server, c net.Conn)
}

// EventServerMain runs an event-driven server (event_server(3)) such as
// postscreen or tlsproxy. It does not return.
func EventServerMain(argv []string, service EventService, opts EventOptions) {
	s := start(argv, opts.Options, "inet", "unix", "pass")
	s.preDisconnect = opts.PreDisconnect
	var serial sync.Mutex
	serve := func(c net.Conn) {
		s.clientBegin()
		serial.Lock()
		s.status.take()
		s.dog.Start()
		service(s, c)
		s.dog.Stop()
		ok := s.status.release()
		serial.Unlock()
		if !ok {
			s.Exit()
		}
	}
	if s.Flags.StandAlone {
		serve(stdioConn())
		select {} // the service calls Disconnect, which exits at max_use
	}
	s.acceptAll(serve)
}

// Disconnect ends an event-server client connection
// (event_server_disconnect): it runs PreDisconnect, closes c, counts one
// use and restarts the idle timer when no client remains.
func (s *Server) Disconnect(c net.Conn) {
	if s.preDisconnect != nil {
		s.preDisconnect(s, c)
	}
	c.Close()
	s.clientEnd()
	if s.used() && !s.busy() {
		s.Exit()
	}
}

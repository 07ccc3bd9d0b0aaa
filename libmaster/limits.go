package libmaster

import (
	"gopostfix/libglobal/util/fdconn"
	"os"
	"time"
)

// watchMaster exits the process when master goes away: the status socket
// becomes readable (end-of-file).
func (s *Server) watchMaster() {
	if s.status == nil || s.status.f == nil {
		return
	}
	go func() {
		// Wait in poll, not in read: a reader blocked on the status
		// socket, which all processes of the service share, wakes each
		// time master drains any process's status update.
		fdconn.WaitReadable(StatusFD)
		buf := make([]byte, 1)
		s.status.f.Read(buf)
		s.Log.Debugf("master disconnect -- exiting")
		s.Exit()
	}()
}

// startTimers arms the idle timer and the retirement timer.
func (s *Server) startTimers() {
	s.armIdle()
	if !s.opts.Retire {
		return
	}
	retire := s.Flags.Retire
	if retire == 0 {
		idle := int(s.maxIdle / time.Second)
		switch {
		case idle == 0 || s.maxUse == 0 || idle > 18000/s.maxUse:
			retire = 18000
		default:
			retire = idle * s.maxUse
		}
	}
	time.AfterFunc(time.Duration(retire)*time.Second, func() {
		s.Log.Debugf("time to retire -- exiting")
		s.Exit()
	})
}

// armIdle (re)starts the idle timer when no client is being served.
func (s *Server) armIdle() {
	if s.maxIdle <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idle != nil {
		s.idle.Stop()
	}
	if s.clients > 0 {
		return
	}
	s.idle = time.AfterFunc(s.maxIdle, func() {
		s.mu.Lock()
		busy := s.clients > 0
		s.mu.Unlock()
		if busy {
			return
		}
		s.Log.Debugf("idle timeout -- exiting")
		s.Exit()
	})
}

// clientBegin and clientEnd track clients for the idle timer.
func (s *Server) clientBegin() {
	s.mu.Lock()
	s.clients++
	if s.idle != nil {
		s.idle.Stop()
	}
	s.mu.Unlock()
}

func (s *Server) clientEnd() {
	s.mu.Lock()
	s.clients--
	s.mu.Unlock()
	s.armIdle()
}

// used counts one use and reports whether the use limit is reached.
func (s *Server) used() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.uses++
	return s.maxUse > 0 && s.uses >= s.maxUse
}

// busy reports whether a client is connected.
func (s *Server) busy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clients > 0
}

// listenFiles returns the inherited listen descriptors, close-on-exec.
func (s *Server) listenFiles() []*os.File {
	var fs []*os.File
	for i := 0; i < s.Flags.Sockets; i++ {
		fd := ListenFD + i
		f := os.NewFile(uintptr(fd), "listen")
		fs = append(fs, f)
	}
	return fs
}

// NoLimits makes the process ignore max_use and max_idle, as resident
// daemons such as qmgr do from their post-init hook (Postfix sets
// var_use_limit and var_idle_limit to 0 there).
func (s *Server) NoLimits() {
	s.mu.Lock()
	s.maxUse = 0
	s.maxIdle = 0
	s.mu.Unlock()
}

// IdleAtLeast raises max_idle to d when it is shorter (anvil waits at
// least one rate time unit before it exits idle).
func (s *Server) IdleAtLeast(d time.Duration) {
	s.mu.Lock()
	if s.maxIdle < d {
		s.maxIdle = d
	}
	s.mu.Unlock()
}

// NoUseLimit makes the process ignore max_use but keep max_idle, as
// scache does (Postfix sets only var_use_limit to 0 there).
func (s *Server) NoUseLimit() {
	s.mu.Lock()
	s.maxUse = 0
	s.mu.Unlock()
}

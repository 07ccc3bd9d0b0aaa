package libmaster

import (
	"net"
	"os"
	"time"

	"gopostfix/libglobal/util/fdconn"
)

// TriggerBufSize is the most a trigger server reads per wakeup.
const TriggerBufSize = 1024

// TriggerService handles the bytes of one trigger (each byte a request,
// such as 'W' or 'D'; unknown bytes, including the NUL a UNIX-socket
// client adds, are to be ignored).
type TriggerService func(s *Server, buf []byte)

// TriggerServerMain runs a trigger server (trigger_server(3)) such as
// pickup or qmgr, on a UNIX socket or a FIFO. It does not return.
func TriggerServerMain(argv []string, service TriggerService, opts Options) {
	opts.acceptLock = true
	s := start(argv, opts, "unix", "fifo")
	wake := func(buf []byte) {
		s.status.notify(StatTaken)
		s.dog.Start()
		service(s, buf)
		s.dog.Stop()
		if !s.status.notify(StatAvail) {
			s.Exit()
		}
		if s.used() {
			s.Exit()
		}
	}
	if s.Flags.StandAlone {
		buf := make([]byte, TriggerBufSize)
		n, _ := os.Stdin.Read(buf)
		service(s, buf[:n])
		s.Exit()
	}
	s.closeOnExec()
	s.watchMaster()
	s.startTimers()
	if s.Flags.Transport == "fifo" {
		f := os.NewFile(ListenFD, "fifo")
		buf := make([]byte, TriggerBufSize)
		for {
			n, err := f.Read(buf)
			if err != nil || n == 0 {
				time.Sleep(100 * time.Millisecond)
				continue
			}
			s.clientBegin()
			wake(buf[:n])
			s.clientEnd()
		}
	}
	if s.opts.BlockingIO && s.Flags.Sockets == 1 {
		for {
			s.lockAccept()
			c, err := fdconn.Accept(ListenFD, 0)
			s.unlockAccept()
			if err != nil {
				continue
			}
			s.readTrigger(c, wake)
		}
	}
	ls := s.listeners()
	for _, l := range ls[1:] {
		go func(l net.Listener) {
			for {
				if c, err := s.accept(l); err == nil {
					s.readTrigger(c, wake)
				}
			}
		}(l)
	}
	for {
		s.lockAccept()
		c, err := s.accept(ls[0])
		s.unlockAccept()
		if err != nil {
			continue
		}
		s.readTrigger(c, wake)
	}
}

// readTrigger reads one trigger from c within 10 seconds, hands it to
// wake and closes c, which tells the client it was received.
func (s *Server) readTrigger(c net.Conn, wake func([]byte)) {
	s.clientBegin()
	defer s.clientEnd()
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, TriggerBufSize)
	n, err := c.Read(buf)
	if err != nil && n == 0 {
		return
	}
	c.SetReadDeadline(time.Time{})
	wake(buf[:n])
}

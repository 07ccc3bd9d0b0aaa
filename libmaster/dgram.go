package libmaster

import (
	"net"
	"os"
)

// DgramBufSize is the largest datagram a dgram server receives.
const DgramBufSize = 4096

// DgramService handles one datagram.
type DgramService func(s *Server, buf []byte)

// DgramServerMain runs a datagram server (dgram_server(3)), as postlogd
// on the unix-dgram postlog socket. It does not return.
func DgramServerMain(argv []string, service DgramService, opts Options) {
	s := start(argv, opts, "unix-dgram")
	if s.Flags.StandAlone {
		buf := make([]byte, DgramBufSize)
		n, _ := os.Stdin.Read(buf)
		service(s, buf[:n])
		s.Exit()
	}
	s.closeOnExec()
	f := os.NewFile(ListenFD, "dgram")
	pc, err := net.FilePacketConn(f)
	if err != nil {
		s.fatal("listen descriptor %d: %v", ListenFD, err)
	}
	f.Close()
	s.watchMaster()
	s.startTimers()
	buf := make([]byte, DgramBufSize)
	for {
		n, _, err := pc.ReadFrom(buf)
		if err != nil {
			continue
		}
		s.clientBegin()
		s.status.notify(StatTaken)
		s.dog.Start()
		service(s, buf[:n])
		s.dog.Stop()
		if !s.status.notify(StatAvail) {
			s.Exit()
		}
		s.clientEnd()
		if s.used() {
			s.Exit()
		}
	}
}

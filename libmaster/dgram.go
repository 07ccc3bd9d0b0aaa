package libmaster

import (
	"net"
	"os"
	"syscall"
	"unsafe"

	"gopostfix/libglobal/util/fdconn"
)

// DgramBufSize is the largest datagram a dgram server receives.
const DgramBufSize = 4096

// DgramBurstMax bounds how many queued datagrams a dgram server with
// Options.BlockingIO takes in one wakeup before it calls the flush
// function and looks at its timers again.
const DgramBurstMax = 64

// DgramService handles one datagram.
type DgramService func(s *Server, buf []byte)

// DgramServerMain runs a datagram server (dgram_server(3)), as postlogd
// on the unix-dgram postlog socket. It does not return.
func DgramServerMain(argv []string, service DgramService, opts Options) {
	DgramBurstServerMain(argv, service, nil, opts)
}

// DgramBurstServerMain is DgramServerMain for a service that finishes its
// work once per burst of datagrams: flush, when not nil, runs after the
// datagrams already queued on the socket were handed to service, before
// the server sleeps again (postlogd writes the lines of a burst with one
// system call). Every datagram is still reported to master as a request
// of its own (TAKEN, AVAIL) and counted as one use.
//
// With Options.BlockingIO and one socket, the server sleeps in poll(2)
// and takes the datagrams with non-blocking recv(2) calls, at most
// DgramBurstMax per wakeup, outside the Go network poller; the idle timer
// and the watchdog are re-armed once per burst instead of per datagram.
// The socket's flags, which master and the other processes of the
// service share, are left alone. It does not return.
func DgramBurstServerMain(argv []string, service DgramService, flush func(s *Server), opts Options) {
	s := start(argv, opts, "unix-dgram")
	if s.Flags.StandAlone {
		buf := make([]byte, DgramBufSize)
		n, _ := os.Stdin.Read(buf)
		service(s, buf[:n])
		if flush != nil {
			flush(s)
		}
		s.Exit()
	}
	s.closeOnExec()
	if s.opts.BlockingIO && s.Flags.Sockets == 1 {
		s.watchMaster()
		s.startTimers()
		s.dgramBlocking(ListenFD, service, flush)
	}
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
		if flush != nil {
			flush(s)
		}
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

// dgramBlocking is the serving loop of DgramBurstServerMain with blocking
// system calls on the datagram socket fd. It does not return.
func (s *Server) dgramBlocking(fd int, service DgramService, flush func(s *Server)) {
	buf := make([]byte, DgramBufSize)
	for {
		if err := fdconn.WaitReadable(fd); err != nil {
			s.fatal("poll listen descriptor %d: %v", fd, err)
		}
		s.clientBegin()
		s.dog.Start()
		exit := false
		for i := 0; i < DgramBurstMax && !exit; i++ {
			n, err := recvNow(fd, buf)
			if err == syscall.EINTR {
				continue
			}
			if err != nil {
				// EAGAIN: drained, or another process took it.
				break
			}
			s.status.notify(StatTaken)
			service(s, buf[:n])
			if !s.status.notify(StatAvail) {
				exit = true
			}
			if s.used() {
				exit = true
			}
		}
		if flush != nil {
			flush(s)
		}
		s.dog.Stop()
		if exit {
			s.Exit()
		}
		s.clientEnd()
	}
}

// recvNow receives one datagram from fd without waiting (MSG_DONTWAIT).
func recvNow(fd int, buf []byte) (int, error) {
	n, _, errno := syscall.Syscall6(syscall.SYS_RECVFROM, uintptr(fd), uintptr(unsafe.Pointer(&buf[0])),
		uintptr(len(buf)), syscall.MSG_DONTWAIT, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

package main

import (
	"fmt"
	"gopostfix/libglobal/util/dict"
	"net"
	"strconv"
	"syscall"
)

// listen opens the service's sockets (master_listen_init): UNIX sockets
// and FIFOs are created as mail_owner, in the queue directory.
func (m *master) listen(s *service) error {
	backlog := m.int("default_process_limit")
	if s.maxProc > backlog {
		backlog = s.maxProc
	}
	switch s.typ {
	case "unix", "pass":
		fd, err := m.unixListen(s.key, syscall.SOCK_STREAM, backlog)
		if err != nil {
			return err
		}
		s.listenFds = []int{fd}
	case "unix-dgram":
		fd, err := m.unixListen(s.key, syscall.SOCK_DGRAM, 0)
		if err != nil {
			return err
		}
		s.listenFds = []int{fd}
	case "fifo":
		fd, err := m.fifoListen(s.key)
		if err != nil {
			return err
		}
		s.listenFds = []int{fd}
	case "inet":
		for _, a := range s.addrs {
			fd, err := inetListen(a, backlog)
			if err != nil {
				for _, f := range s.listenFds {
					syscall.Close(f)
				}
				s.listenFds = nil
				return err
			}
			s.listenFds = append(s.listenFds, fd)
		}
	}
	return nil
}

func (m *master) unixListen(path string, kind, backlog int) (int, error) {
	fd, err := syscall.Socket(syscall.AF_UNIX, kind|syscall.SOCK_CLOEXEC|syscall.SOCK_NONBLOCK, 0)
	if err != nil {
		return -1, fmt.Errorf("socket: %s", dict.ErrnoText(err))
	}
	syscall.Unlink(path)
	if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: path}); err != nil {
		syscall.Close(fd)
		return -1, fmt.Errorf("bind %s: %s", path, dict.ErrnoText(err))
	}
	syscall.Chmod(path, 0o666)
	syscall.Chown(path, m.ownerUID, m.ownerGID)
	if kind == syscall.SOCK_STREAM {
		if err := syscall.Listen(fd, backlog); err != nil {
			syscall.Close(fd)
			return -1, fmt.Errorf("listen: %s", dict.ErrnoText(err))
		}
	}
	return fd, nil
}

func (m *master) fifoListen(path string) (int, error) {
	if err := syscall.Mkfifo(path, 0o622); err != nil && err != syscall.EEXIST {
		return -1, fmt.Errorf("create fifo %s: %s", path, dict.ErrnoText(err))
	}
	syscall.Chmod(path, 0o622)
	syscall.Chown(path, m.ownerUID, m.ownerGID)
	fd, err := syscall.Open(path, syscall.O_RDWR|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("open fifo %s: %s", path, dict.ErrnoText(err))
	}
	return fd, nil
}

func inetListen(addr string, backlog int) (int, error) {
	host, port, _ := net.SplitHostPort(addr)
	ip := net.ParseIP(host)
	p, _ := strconv.Atoi(port)
	family := syscall.AF_INET
	if ip.To4() == nil {
		family = syscall.AF_INET6
	}
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC|syscall.SOCK_NONBLOCK, 0)
	if err != nil {
		return -1, fmt.Errorf("socket: %s", dict.ErrnoText(err))
	}
	syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	var sa syscall.Sockaddr
	if family == syscall.AF_INET {
		a := &syscall.SockaddrInet4{Port: p}
		copy(a.Addr[:], ip.To4())
		sa = a
	} else {
		syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY, 1)
		a := &syscall.SockaddrInet6{Port: p}
		copy(a.Addr[:], ip.To16())
		sa = a
	}
	if err := syscall.Bind(fd, sa); err != nil {
		syscall.Close(fd)
		return -1, fmt.Errorf("bind %s port %s: %s", host, port, dict.ErrnoText(err))
	}
	if err := syscall.Listen(fd, backlog); err != nil {
		syscall.Close(fd)
		return -1, fmt.Errorf("listen: %s", dict.ErrnoText(err))
	}
	return fd, nil
}

// closeListeners closes the sockets of a removed service.
func (m *master) closeListeners(s *service) {
	m.stopListening(s)
	for _, fd := range s.listenFds {
		syscall.Close(fd)
	}
	s.listenFds = nil
}

package fdconn

import (
	"net"
	"syscall"
)

// sockAddr converts a socket address as the net package shows it.
func sockAddr(sa syscall.Sockaddr) (net.Addr, string) {
	switch a := sa.(type) {
	case *syscall.SockaddrInet4:
		return &net.TCPAddr{IP: append(net.IP(nil), a.Addr[:]...), Port: a.Port}, "tcp"
	case *syscall.SockaddrInet6:
		ta := &net.TCPAddr{IP: append(net.IP(nil), a.Addr[:]...), Port: a.Port}
		if a.ZoneId != 0 {
			if ifi, err := net.InterfaceByIndex(int(a.ZoneId)); err == nil {
				ta.Zone = ifi.Name
			}
		}
		return ta, "tcp"
	case *syscall.SockaddrUnix:
		return &net.UnixAddr{Name: a.Name, Net: "unix"}, "unix"
	}
	return nil, "unix"
}

// localAddr is the address of the local end of fd.
func localAddr(fd int) net.Addr {
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		return nil
	}
	a, _ := sockAddr(sa)
	return a
}

package main

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/libglobal/util/msg"
)

// peerGone reports whether getpeername(2) on the connection fails for a
// reason other than ENOTSOCK, as it does (ENOTCONN) for a client that
// reset the connection while it waited in the listen queue. The address
// that accept returned is not asked: Postfix asks the socket.
func peerGone(conn net.Conn) bool {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	var perr error
	if err := rc.Control(func(fd uintptr) { _, perr = syscall.Getpeername(int(fd)) }); err != nil {
		return false
	}
	return perr != nil && !errors.Is(perr, syscall.ENOTSOCK)
}

// lookupPeer establishes the client identity of a connection
// (smtpd_peer.c): the printable address and port, the reverse name of
// the address, and the verified name, which is the reverse name only if
// that name resolves back to the address. Otherwise the name is
// "unknown", with a warning, and the status says why.
func lookupPeer(conn net.Conn, lookup bool, hosts *hostsFile, log *msg.Logger) smtpd.Client {
	c := smtpd.Client{Name: "unknown", ReverseName: "unknown"}
	if peerGone(conn) {
		// A client that reset the connection before it was served
		// (smtpd_peer_no_client).
		c.Addr, c.Port, c.ServerAddr, c.ServerPort = "unknown", "unknown", "unknown", "unknown"
		c.NameStatus, c.ReverseNameStatus = smtpd.PeerPerm, smtpd.PeerPerm
		return c
	}
	local, lok := addrPort(conn.LocalAddr())
	if lok {
		c.ServerAddr, c.ServerPort = local.Addr().String(), strconv.Itoa(int(local.Port()))
	}
	remote, ok := addrPort(conn.RemoteAddr())
	if !ok {
		c.Name, c.ReverseName, c.Addr, c.Port = "localhost", "localhost", "127.0.0.1", "0"
		return c
	}
	c.Addr, c.Port = remote.Addr().String(), strconv.Itoa(int(remote.Port()))
	if !lookup {
		c.NameStatus, c.ReverseNameStatus = smtpd.PeerPerm, smtpd.PeerPerm
		return c
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	name, ok := hosts.name(remote.Addr())
	if !ok {
		names, err := net.DefaultResolver.LookupAddr(ctx, c.Addr)
		if err != nil || len(names) == 0 {
			st := peerStatus(err)
			c.NameStatus, c.ReverseNameStatus = st, st
			return c
		}
		name = strings.TrimSuffix(names[0], ".")
	}
	c.ReverseName = name
	addrs := hosts.addrs(name)
	var err error
	if len(addrs) == 0 {
		addrs, err = net.DefaultResolver.LookupNetIP(ctx, "ip", name)
	}
	if err != nil {
		log.Warnf("hostname %s does not resolve to address %s: %s", name, c.Addr, aiError(err))
		c.NameStatus = smtpd.PeerForged
		if peerStatus(err) == smtpd.PeerTemp {
			c.NameStatus = smtpd.PeerTemp
		}
		return c
	}
	for _, a := range addrs {
		if a.Unmap() == remote.Addr() {
			c.Name = name
			return c
		}
	}
	log.Warnf("hostname %s does not resolve to address %s", name, c.Addr)
	c.NameStatus = smtpd.PeerForged
	return c
}

// addrPort converts a TCP endpoint, mapping IPv4-in-IPv6 to IPv4.
func addrPort(a net.Addr) (netip.AddrPort, bool) {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return netip.AddrPort{}, false
	}
	ap := ta.AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), true
}

// peerStatus classifies a lookup error as temporary or permanent.
func peerStatus(err error) int {
	var de *net.DNSError
	if errors.As(err, &de) && (de.IsTemporary || de.IsTimeout) {
		return smtpd.PeerTemp
	}
	return smtpd.PeerPerm
}

// aiError is the getaddrinfo error text Postfix prints.
func aiError(err error) string {
	var de *net.DNSError
	if errors.As(err, &de) {
		switch {
		case de.IsNotFound:
			return "Name or service not known"
		case de.IsTemporary, de.IsTimeout:
			return "Temporary failure in name resolution"
		}
	}
	return err.Error()
}

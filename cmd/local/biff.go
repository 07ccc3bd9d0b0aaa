package main

import (
	"net"
	"strconv"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// biffer sends the "new mail" notices of biff = yes to the comsat
// service of this host (biff_notify): one UDP datagram "user@offset" and
// a NUL, offset being where the new message starts in the mailbox. The
// address (the biff/udp port of localhost) is found once and kept; a
// failure is logged and the delivery goes on.
type biffer struct {
	log  *msg.Logger
	addr *net.UDPAddr
	conn *net.UDPConn
}

// notify sends the notice for logname's mailbox.
func (b *biffer) notify(logname string, offset int64) {
	if b.addr == nil {
		port, err := net.LookupPort("udp", "biff")
		if err != nil {
			b.log.Warnf("service not found: biff/udp")
			return
		}
		ips, err := net.LookupIP("localhost")
		var ip net.IP
		for _, a := range ips {
			if a.To4() != nil {
				ip = a.To4()
				break
			}
		}
		if err != nil || ip == nil {
			b.log.Warnf("host not found: localhost")
			return
		}
		b.addr = &net.UDPAddr{IP: ip, Port: port}
	}
	if b.conn == nil {
		c, err := net.ListenUDP("udp4", nil)
		if err != nil {
			b.log.Warnf("socket: %s", dict.ErrnoText(err))
			return
		}
		b.conn = c
	}
	text := logname + "@" + strconv.FormatInt(offset, 10) + "\x00"
	if _, err := b.conn.WriteToUDP([]byte(text), b.addr); err != nil {
		b.log.Warnf("biff_notify: %s", dict.ErrnoText(err))
	}
}

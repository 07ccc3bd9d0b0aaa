package main

import (
	"errors"
	"net"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/haproxy"
	"gopostfix/libglobal/util/dict"
)

// readProxy reads the HAProxy header in front of the SMTP session
// (psc_endpt_haproxy_lookup): versions 1 and 2, peeked first and then
// consumed exactly, within postscreen_upstream_proxy_timeout.
func (sc *screen) readProxy(c net.Conn) {
	sys, ok := c.(syscall.Conn)
	if !ok {
		sc.connected(c, endpoints{}, false)
		return
	}
	raw, err := sys.SyscallConn()
	if err != nil {
		sc.connected(c, endpoints{}, false)
		return
	}
	go func() {
		c.SetReadDeadline(time.Now().Add(sc.cfg.uproxyTimeout))
		buf := make([]byte, haproxy.HeaderMax)
		n, err := peek(raw, buf)
		c.SetReadDeadline(time.Time{})
		sc.mu.Lock()
		defer sc.mu.Unlock()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			sc.log.Warnf("haproxy read: time limit exceeded")
			sc.connected(c, endpoints{}, false)
			return
		}
		if err != nil || n <= 0 {
			sc.log.Warnf("haproxy read: EOF")
			sc.connected(c, endpoints{}, false)
			return
		}
		h, err := haproxy.Parse(buf[:n], sc.ipv4, sc.ipv6)
		if err != nil {
			sc.log.Warnf("haproxy read: %v", err)
			sc.connected(c, endpoints{}, false)
			return
		}
		if got, err := consume(raw, h.Len); got != h.Len {
			if err == nil {
				err = syscall.EIO
			}
			sc.log.Warnf("haproxy read: %s", dict.ErrnoText(err))
			sc.connected(c, endpoints{}, false)
			return
		}
		if h.Local {
			ep, ok := sc.localEndpoints(c)
			sc.connected(c, ep, ok)
			return
		}
		sc.connected(c, endpoints{h.ClientAddr, h.ClientPort, h.ServerAddr, h.ServerPort}, true)
	}()
}

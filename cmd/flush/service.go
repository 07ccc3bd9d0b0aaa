package main

import (
	"errors"
	"net"

	"gopostfix/libglobal/flush"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libmaster"
)

// How a logfile is flushed (flush.c): a refresh only moves the files;
// an explicit request also makes qmgr forget dead destinations first
// (send_site) or unthrottle each file's destinations (send_file).
const (
	refreshOnly      = 0
	unthrottleBefore = 1 << 0
	unthrottleAfter  = 1 << 1
)

// serve handles one client: the announcement, one request, the reply.
func (f *flusher) serve(s *libmaster.Server, nc net.Conn) {
	c := attr.NewConn(nc, attr.Format0, s.Name+" socket", s.IPCTimeout)
	request, ok, eof := f.receive(c, s.Name+" socket")
	if eof {
		// After end-of-input on its request stream, Postfix's reply
		// loses the attribute name: only the value and the terminator
		// reach the client (seen with the real 3.7.11 flush).
		c.NetConn().Write([]byte("3\x00\x00"))
		return
	}
	if !ok {
		f.reply(c, flush.StatBad)
		return
	}
	switch request {
	case flush.ReqAdd:
		var site, id string
		status := flush.StatBad
		if f.scan(c, attr.RecvStr(flush.AttrSite, &site), attr.RecvStr(flush.AttrQueueID, &id)) == 2 && idOK(id) {
			status = f.addService(site, id)
		}
		f.reply(c, status)
	case flush.ReqSendSite:
		var site string
		status := flush.StatBad
		if f.scan(c, attr.RecvStr(flush.AttrSite, &site)) == 1 {
			status = f.sendService(site, unthrottleBefore)
		}
		f.reply(c, status)
	case flush.ReqSendFile:
		var id string
		status := flush.StatBad
		if f.scan(c, attr.RecvStr(flush.AttrQueueID, &id)) == 1 {
			status = f.sendFileService(id)
		}
		f.reply(c, status)
	case flush.ReqRefresh, "W":
		f.reply(c, flush.StatOK)
		f.refreshService(f.refresh)
	case flush.ReqPurge:
		f.reply(c, flush.StatOK)
		f.refreshService(0)
	}
	// Any other request gets no reply at all, as with Postfix.
}

// receive announces the protocol and reads the request name. A client
// that sends at most two bytes is master's wakeup trigger ("W" and a NUL
// byte); anything longer is an attribute record. eof reports a client
// that closed without a request.
func (f *flusher) receive(c *attr.Conn, name string) (request string, ok, eof bool) {
	if err := c.Announce(attr.ProtoFlush); err != nil {
		return "", false, false
	}
	if err := c.Wait(); err != nil && !errors.Is(err, errEOF) {
		if isTimeout(err) {
			f.log.Warnf("timeout while waiting for data from %s", name)
			return "", false, false
		}
	}
	br := c.BufReader()
	if br.Buffered() <= 2 {
		b, err := br.ReadBytes(0)
		if len(b) == 0 {
			f.log.Warnf("end-of-input while reading request from %s: %s", name, eofText(err))
			return "", false, true
		}
		if b[len(b)-1] == 0 {
			b = b[:len(b)-1]
		}
		return string(b), true, false
	}
	n, err := c.Scan(attr.More|attr.Strict, attr.RecvStr(flush.AttrRequest, &request))
	f.warnScan(err)
	return request, n == 1, false
}

// scan reads the rest of the request record strictly; problems are
// logged and the number of attributes found is returned, as attr_scan
// returns it.
func (f *flusher) scan(c *attr.Conn, targets ...attr.Recv) int {
	n, err := c.Scan(attr.Strict, targets...)
	f.warnScan(err)
	return n
}

func (f *flusher) warnScan(err error) {
	var ae *attr.Error
	if errors.As(err, &ae) {
		f.log.Warnf("%s", ae.Text)
	}
}

func (f *flusher) reply(c *attr.Conn, status int) {
	c.Print(attr.Int(flush.AttrStatus, status))
}

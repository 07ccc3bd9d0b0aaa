package main

import (
	"errors"
	"io"
	"syscall"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/scache"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

// server answers the cache requests.
type server struct {
	log    *msg.Logger
	cache  *cache
	ttlLim time.Duration // connection_cache_ttl_limit
	stats  *stats
}

func newServer(log *msg.Logger, ttlLim time.Duration) *server {
	c := newCache(log)
	return &server{log: log, cache: c, ttlLim: ttlLim, stats: newStats(log, c)}
}

// serve handles one request, and the next one if it is already buffered
// (it may follow the dummy record after a descriptor). Input that is
// buffered when a reply is written is lost, as with Postfix, whose stream
// has one buffer for both directions: the real scache answers only the
// first of two requests sent in one write.
func (sv *server) serve(c *attr.Conn) error {
	for {
		var request string
		n, err := c.Scan(attr.More|attr.Strict, attr.RecvStr(scache.AttrRequest, &request))
		if n < 0 || errors.Is(err, io.EOF) {
			return err
		}
		warn(sv.log, err)
		if n == 1 {
			switch request {
			case scache.ReqSaveDest:
				sv.saveDest(c)
			case scache.ReqFindDest:
				sv.findDest(c)
			case scache.ReqSaveEndp:
				sv.saveEndp(c)
			case scache.ReqFindEndp:
				sv.findEndp(c)
			default:
				sv.log.Warnf("unrecognized request: \"%s\", ignored", request)
				reply(c, attr.Int(scache.AttrStatus, scache.StatBad))
			}
		}
		if c.R.Buffered() == 0 {
			return nil
		}
	}
}

// reply writes a record, dropping unread input first.
func reply(c *attr.Conn, attrs ...attr.Attr) {
	c.BufReader().Discard(c.BufReader().Buffered())
	c.Print(attrs...)
}

// ttl caps a client's time to live.
func (sv *server) ttl(secs int) time.Duration {
	if d := time.Duration(secs) * time.Second; d < sv.ttlLim {
		return d
	}
	return sv.ttlLim
}

func (sv *server) saveEndp(c *attr.Conn) {
	const myname = "scache_save_endp_service"
	var ttl int
	var label, prop string
	n, err := c.Scan(attr.Strict, attr.RecvInt(scache.AttrTTL, &ttl),
		attr.RecvStr(scache.AttrLabel, &label), attr.RecvStr(scache.AttrProp, &prop))
	warn(sv.log, err)
	if n != 3 || ttl <= 0 {
		sv.log.Warnf("%s: bad or missing request parameter", myname)
		reply(c, attr.Int(scache.AttrStatus, scache.StatBad))
		return
	}
	fd, err := c.RecvFd()
	if err != nil {
		sv.log.Warnf("%s: unable to receive file descriptor: %s", myname, queue.Strerror(err))
		reply(c, attr.Int(scache.AttrStatus, scache.StatFail))
		return
	}
	sv.cache.saveEndp(sv.ttl(ttl), label, prop, fd)
	reply(c, attr.Int(scache.AttrStatus, scache.StatOK))
	sv.stats.sizes()
}

func (sv *server) findEndp(c *attr.Conn) {
	const myname = "scache_find_endp_service"
	var label string
	n, err := c.Scan(attr.Strict, attr.RecvStr(scache.AttrLabel, &label))
	warn(sv.log, err)
	if n != 1 {
		sv.log.Warnf("%s: bad or missing request parameter", myname)
		reply(c, attr.Int(scache.AttrStatus, scache.StatBad), attr.Str(scache.AttrProp, ""))
		return
	}
	fd, prop := sv.cache.findEndp(label)
	if fd < 0 {
		reply(c, attr.Int(scache.AttrStatus, scache.StatFail), attr.Str(scache.AttrProp, ""))
		sv.stats.add(&sv.stats.endpMiss)
		return
	}
	reply(c, attr.Int(scache.AttrStatus, scache.StatOK), attr.Str(scache.AttrProp, prop))
	sv.handOver(c, myname, fd)
	sv.stats.add(&sv.stats.endpHits)
}

func (sv *server) saveDest(c *attr.Conn) {
	const myname = "scache_save_dest_service"
	var ttl int
	var dest, prop, endp string
	n, err := c.Scan(attr.Strict, attr.RecvInt(scache.AttrTTL, &ttl), attr.RecvStr(scache.AttrLabel, &dest),
		attr.RecvStr(scache.AttrProp, &prop), attr.RecvStr(scache.AttrLabel, &endp))
	warn(sv.log, err)
	if n != 4 || ttl <= 0 {
		sv.log.Warnf("%s: bad or missing request parameter", myname)
		reply(c, attr.Int(scache.AttrStatus, scache.StatBad))
		return
	}
	sv.cache.saveDest(sv.ttl(ttl), dest, prop, endp)
	reply(c, attr.Int(scache.AttrStatus, scache.StatOK))
	sv.stats.sizes()
}

func (sv *server) findDest(c *attr.Conn) {
	const myname = "scache_find_dest_service"
	var dest string
	n, err := c.Scan(attr.Strict, attr.RecvStr(scache.AttrLabel, &dest))
	warn(sv.log, err)
	empty := []attr.Attr{attr.Str(scache.AttrProp, ""), attr.Str(scache.AttrProp, "")}
	if n != 1 {
		sv.log.Warnf("%s: bad or missing request parameter", myname)
		reply(c, append([]attr.Attr{attr.Int(scache.AttrStatus, scache.StatBad)}, empty...)...)
		return
	}
	fd, destProp, endpProp := sv.cache.findDest(dest)
	if fd < 0 {
		reply(c, append([]attr.Attr{attr.Int(scache.AttrStatus, scache.StatFail)}, empty...)...)
		sv.stats.add(&sv.stats.destMiss)
		return
	}
	reply(c, attr.Int(scache.AttrStatus, scache.StatOK), attr.Str(scache.AttrProp, destProp),
		attr.Str(scache.AttrProp, endpProp))
	sv.handOver(c, myname, fd)
	sv.stats.add(&sv.stats.destHits)
}

// handOver passes fd to the client (after its dummy record, followed by
// another one) and closes our copy.
func (sv *server) handOver(c *attr.Conn, myname string, fd int) {
	if err := c.SendFd(fd); err != nil || c.ReadDummy() != nil {
		sv.log.Warnf("%s: cannot send file descriptor: %s", myname, errText(err))
	}
	if err := syscall.Close(fd); err != nil {
		sv.log.Warnf("close(%d): %s", fd, queue.Strerror(err))
	}
}

// warn logs a scan problem with Postfix's text.
func warn(log *msg.Logger, err error) {
	var ae *attr.Error
	if errors.As(err, &ae) {
		log.Warnf("%s", ae.Text)
	}
}

func errText(err error) string {
	if err == nil {
		return "Success"
	}
	return queue.Strerror(err)
}

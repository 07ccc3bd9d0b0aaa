package main

import (
	"crypto/rand"
	"errors"
	"io"

	"gopostfix/libglobal/util/attr"
)

// Requests, attributes and statuses of the tlsmgr protocol (tls_mgr.h).
const (
	statOK   = 0
	statErr  = -1 // not found
	statFail = -2 // not enabled, or a bad request

	attrStatus    = "status"
	attrCacheType = "cache_type"
	attrCacheID   = "cache_id"
	attrSession   = "session"
)

// errClose ends the client connection.
var errClose = errors.New("disconnect")

// serve handles one request (tlsmgr_service).
func (m *manager) serve(c *attr.Conn, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	request, err := m.receive(c, name)
	if err != nil {
		if errors.Is(err, errClose) {
			return err
		}
		m.reply(c, attr.Int(attrStatus, statFail))
		return nil
	}
	switch request {
	case "lookup":
		m.lookup(c)
	case "update":
		m.update(c)
	case "delete":
		m.delete(c)
	case "tktkey":
		m.ticketKey(c)
	case "seed":
		m.seed(c)
	case "policy":
		m.policy(c)
	case "W":
		return errClose // master's wakeup: nothing to answer
	}
	return nil
}

// receive reads the request name: a short read is master's trigger (a
// byte and a NUL), anything longer an attribute record. errClose means
// the client is gone.
func (m *manager) receive(c *attr.Conn, name string) (string, error) {
	br := c.BufReader()
	if br.Buffered() <= 2 {
		b, err := br.ReadBytes(0)
		if len(b) == 0 {
			if err != nil {
				return "", errClose
			}
		}
		if n := len(b); n > 0 && b[n-1] == 0 {
			b = b[:n-1]
		}
		return string(b), nil
	}
	var request string
	n, err := c.Scan(attr.More|attr.Strict, attr.RecvStr("request", &request))
	m.warnScan(err)
	if n < 0 || errors.Is(err, io.EOF) {
		return "", errClose
	}
	if n != 1 {
		return "", errors.New("bad request")
	}
	return request, nil
}

func (m *manager) warnScan(err error) {
	var ae *attr.Error
	if errors.As(err, &ae) {
		m.log.Warnf("%s", ae.Text)
	}
}

// scan reads the rest of a request strictly; it reports whether every
// target was filled.
func (m *manager) scan(c *attr.Conn, targets ...attr.Recv) bool {
	n, err := c.Scan(attr.Strict, targets...)
	m.warnScan(err)
	return n == len(targets)
}

// cacheOf finds a cache type, warning about an unknown one.
func (m *manager) cacheOf(t, request string) *cache {
	c := m.caches[t]
	if c == nil {
		m.log.Warnf("bogus cache type \"%s\" in \"%s\" request", t, request)
	}
	return c
}

// The DATA answers come from one buffer that lives across requests, as
// in Postfix: a request that fails before the buffer is set answers with
// what the previous request left there (the real tlsmgr does).

func (m *manager) lookup(c *attr.Conn) {
	var t, id string
	status := statFail
	if m.scan(c, attr.RecvStr(attrCacheType, &t), attr.RecvStr(attrCacheID, &id)) {
		m.buf = nil
		if ch := m.cacheOf(t, "lookup"); ch != nil && ch.db != nil {
			status = statErr
			if s, ok := ch.lookup(id); ok {
				status, m.buf = statOK, s
			}
		}
	}
	m.reply(c, attr.Int(attrStatus, status), attr.Data(attrSession, m.buf))
}

func (m *manager) update(c *attr.Conn) {
	var t, id string
	status := statFail
	if m.scan(c, attr.RecvStr(attrCacheType, &t), attr.RecvStr(attrCacheID, &id), attr.RecvData(attrSession, &m.buf)) {
		if ch := m.cacheOf(t, "update"); ch != nil && ch.db != nil {
			status = statErr
			if ch.update(id, m.buf) {
				status = statOK
			}
		}
	}
	m.reply(c, attr.Int(attrStatus, status))
}

func (m *manager) delete(c *attr.Conn) {
	var t, id string
	status := statFail
	if m.scan(c, attr.RecvStr(attrCacheType, &t), attr.RecvStr(attrCacheID, &id)) {
		if ch := m.cacheOf(t, "delete"); ch != nil && ch.db != nil {
			status = statErr
			if ch.remove(id) {
				status = statOK
			}
		}
	}
	m.reply(c, attr.Int(attrStatus, status))
}

func (m *manager) ticketKey(c *attr.Conn) {
	status := statFail
	if m.scan(c, attr.RecvData("keyname", &m.buf)) {
		timeout := m.caches["smtpd"].timeout
		switch name := m.buf; {
		case len(name) != 0 && len(name) != ticketNameLen:
			m.log.Warnf("invalid session ticket key name length: %d", len(name))
			m.buf = nil
		case timeout <= 0:
			status, m.buf = statErr, nil
		default:
			if len(name) == 0 {
				name = nil
			}
			status = statErr
			if k, ok := m.keys.get(name, int64(timeout.Seconds())); ok {
				status, m.buf = statOK, append([]byte(nil), k[:]...)
			}
		}
	}
	m.reply(c, attr.Int(attrStatus, status), attr.Data("keybuf", m.buf))
}

func (m *manager) seed(c *attr.Conn) {
	var size int
	status := statFail
	if m.scan(c, attr.RecvInt("size", &size)) {
		m.buf = nil
		if size <= 0 || size > 255 {
			m.log.Warnf("bogus seed length \"%d\" in \"%s\" request", size, "seed")
		} else {
			m.buf = make([]byte, size)
			rand.Read(m.buf)
			status = statOK
		}
	}
	m.reply(c, attr.Int(attrStatus, status), attr.Data("seed", m.buf))
}

func (m *manager) policy(c *attr.Conn) {
	var t string
	status, cachable, timeout := statFail, 0, 0
	if m.scan(c, attr.RecvStr(attrCacheType, &t)) {
		if ch := m.cacheOf(t, "policy"); ch != nil {
			if ch.db != nil {
				cachable = 1
			}
			timeout, status = int(ch.timeout.Seconds()), statOK
		}
	}
	m.reply(c, attr.Int(attrStatus, status), attr.Int("cachable", cachable), attr.Int("timeout", timeout))
}

// reply writes a record. Input still buffered is dropped first: Postfix's
// stream has one buffer for both directions (the real tlsmgr ignores the
// rest of a request it rejected).
func (m *manager) reply(c *attr.Conn, attrs ...attr.Attr) {
	c.BufReader().Discard(c.BufReader().Buffered())
	c.Print(attrs...)
}

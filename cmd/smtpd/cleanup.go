package main

import (
	"fmt"
	"net"
	"path/filepath"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/fdconn"

	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/libglobal/cleanup"
)

// cleanupQueue hands messages to the cleanup service through the shared
// client (libglobal/cleanup): one connection per message, made with
// blocking system calls (package fdconn) as the client connection is.
type cleanupQueue struct {
	queueDir string
	service  string
	timeout  time.Duration
}

// cleanupMessage adapts a cleanup.Stream to the engine's Message; conn
// is the stream's connection, for the Milter hand-off.
type cleanupMessage struct {
	s    *cleanup.Stream
	conn *attr.Conn
}

// cleanupFlagMilter is CLEANUP_FLAG_MILTER: a session with Milters
// leaves it on (receive_override_options aside), one without turns it
// off.
const cleanupFlagMilter = 1 << 6

// Open connects to cleanup. A session that may hand Milters over
// (their sockets go along as descriptors) gets a connection that can
// pass them; the others get the cheaper blocking one.
func (q *cleanupQueue) Open(flags int) (smtpd.Message, error) {
	path := filepath.Join(q.queueDir, "public", q.service)
	var c net.Conn
	var err error
	if flags&cleanupFlagMilter != 0 {
		c, err = net.DialTimeout("unix", path, q.timeout)
	} else {
		c, err = fdconn.DialUnix(path, q.timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", path, err)
	}
	conn := attr.NewConn(c, attr.Format0, path, q.timeout)
	s, err := cleanup.OpenConn(conn, q.service, flags)
	if err != nil {
		return nil, err
	}
	return cleanupMessage{s, conn}, nil
}

func (m cleanupMessage) ID() string { return m.s.ID }

func (m cleanupMessage) Record(typ byte, data string) error { return m.s.W.PutString(typ, data) }

// Finish reads cleanup's verdict; a broken connection is a write error.
func (m cleanupMessage) Finish() (int, string) {
	defer m.s.Close()
	status, reason, err := m.s.Finish()
	if err != nil {
		return smtpd.StatWrite, ""
	}
	return status, reason
}

// Abort drops the connection; cleanup removes the unfinished file.
func (m cleanupMessage) Abort() { m.s.Close() }

// SendMilters hands the session's Milters to cleanup after the records
// so far (milter_send).
func (m cleanupMessage) SendMilters(ms smtpd.Milters) error {
	sm, ok := ms.(sessionMilters)
	if !ok {
		return fmt.Errorf("send milters: not a Milter client")
	}
	if err := m.s.Flush(); err != nil {
		return err
	}
	return sm.m.Send(m.conn)
}

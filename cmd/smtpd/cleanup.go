package main

import (
	"fmt"
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

// cleanupMessage adapts a cleanup.Stream to the engine's Message.
type cleanupMessage struct{ s *cleanup.Stream }

func (q *cleanupQueue) Open(flags int) (smtpd.Message, error) {
	path := filepath.Join(q.queueDir, "public", q.service)
	c, err := fdconn.DialUnix(path, q.timeout)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", path, err)
	}
	s, err := cleanup.OpenConn(attr.NewConn(c, attr.Format0, path, q.timeout), q.service, flags)
	if err != nil {
		return nil, err
	}
	return cleanupMessage{s}, nil
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

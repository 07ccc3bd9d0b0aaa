package main

import (
	"fmt"
	"time"

	"gopostfix/cmd/smtpd/internal/smtpd"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/attr"
)

// cleanupQueue hands messages to the cleanup service (public/cleanup,
// protocols.md 2.1): one connection per message, announcement with the
// queue ID, a flags record, the raw queue-file record stream, then one
// status/reason record.
//
// This is a small adapter kept inside smtpd until the shared cleanup
// client of libglobal lands.
type cleanupQueue struct {
	queueDir string
	service  string
	timeout  time.Duration
}

type cleanupMessage struct {
	c  *attr.Conn
	w  *record.Writer
	id string
}

// Open connects to cleanup and sends the flags.
func (q *cleanupQueue) Open(flags int) (smtpd.Message, error) {
	c, err := attr.DialService(q.queueDir, "public", q.service, attr.Format0, q.timeout)
	if err != nil {
		return nil, err
	}
	m := &cleanupMessage{c: c}
	if err := c.ReadAnnouncement("cleanup_protocol", attr.RecvStr("queue_id", &m.id)); err != nil {
		c.Close()
		return nil, fmt.Errorf("read cleanup announcement: %w", err)
	}
	if err := c.Print(attr.Int("flags", flags)); err != nil {
		c.Close()
		return nil, fmt.Errorf("send cleanup flags: %w", err)
	}
	m.w = record.NewWriter(c.BufWriter(), 0)
	return m, nil
}

func (m *cleanupMessage) ID() string { return m.id }

func (m *cleanupMessage) Record(typ byte, data string) error {
	return m.w.PutString(typ, data)
}

// Finish flushes the stream and reads cleanup's verdict.
func (m *cleanupMessage) Finish() (int, string) {
	defer m.c.Close()
	if err := m.c.BufWriter().Flush(); err != nil {
		return smtpd.StatWrite, ""
	}
	var status int
	var reason string
	n, err := m.c.Scan(attr.Strict, attr.RecvInt("status", &status), attr.RecvStr("reason", &reason))
	if err != nil || n != 2 {
		return smtpd.StatWrite, ""
	}
	return status, reason
}

// Abort drops the connection; cleanup removes the unfinished file.
func (m *cleanupMessage) Abort() { m.c.Close() }

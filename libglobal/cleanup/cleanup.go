package cleanup

import (
	"bufio"
	"fmt"
	"path/filepath"
	"time"

	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/attr"
)

// Protocol is the server's announcement.
const Protocol = "cleanup_protocol"

// Flags a client sends (CLEANUP_FLAG_*).
const (
	FlagBounce    = 1 << 0 // cleanup bounces rejected mail itself
	FlagFilter    = 1 << 1 // apply header/body checks
	FlagHold      = 1 << 2 // put the message on hold
	FlagDiscard   = 1 << 3 // throw the message away
	FlagBccOK     = 1 << 4 // always_bcc and *_bcc_maps apply
	FlagMapOK     = 1 << 5 // canonical and virtual maps apply
	FlagMilter    = 1 << 6 // non_smtpd_milters apply
	FlagSMTPReply = 1 << 7 // reply with the SMTP-style reason
	FlagSMTPUTF8  = 1 << 8 // SMTPUTF8 requested
	FlagAutoUTF8  = 1 << 9 // detect SMTPUTF8 from the content

	// FlagMaskExternal are the flags receive_override_options controls.
	FlagMaskExternal = FlagFilter | FlagBccOK | FlagMapOK | FlagMilter
)

// Status bits of the reply (CLEANUP_STAT_*).
const (
	StatOK     = 0
	StatBad    = 1 << 0 // internal protocol error
	StatWrite  = 1 << 1 // error writing the queue file
	StatSize   = 1 << 2 // message file too big
	StatCont   = 1 << 3 // content rejected
	StatHops   = 1 << 4 // too many hops
	StatRcpt   = 1 << 6 // no recipients
	StatProxy  = 1 << 7 // proxy reject
	StatDefer  = 1 << 8 // temporary reject
	StatNoPerm = 1 << 9 // denied by policy
)

// Detail is one row of cleanup_strerror's table.
type Detail struct {
	Status int
	SMTP   int
	DSN    string
	Text   string
}

// details are in cleanup_strerror's order of precedence.
var details = []Detail{
	{StatDefer, 451, "4.7.1", "service unavailable"},
	{StatProxy, 451, "4.3.0", "queue file write error"},
	{StatBad, 451, "4.3.0", "internal protocol error"},
	{StatRcpt, 550, "5.1.0", "no recipients specified"},
	{StatHops, 554, "5.4.0", "too many hops"},
	{StatSize, 552, "5.3.4", "message file too big"},
	{StatCont, 550, "5.7.1", "message content rejected"},
	{StatWrite, 451, "4.3.0", "queue file write error"},
	{StatNoPerm, 550, "5.7.1", "service denied"},
}

// StatDetail returns the SMTP code, DSN and text for a status
// (cleanup_stat_detail). Postfix panics on a status without a known bit;
// this returns a generic temporary error instead.
func StatDetail(status int) Detail {
	if status == StatOK {
		return Detail{StatOK, 250, "2.0.0", "Success"}
	}
	for _, d := range details {
		if status&d.Status != 0 {
			return d
		}
	}
	return Detail{status, 451, "4.3.0", "unknown cleanup error"}
}

// Strerror describes a status (cleanup_strerror).
func Strerror(status int) string { return StatDetail(status).Text }

// Stream is one submission in progress.
type Stream struct {
	// ID is the queue ID the server announced.
	ID string
	// W writes the record stream.
	W    *record.Writer
	conn *attr.Conn
	bw   *bufio.Writer // under W: whole messages of common sizes in one write
}

// streamBuffer is the size of the buffer records go through: a message of
// a few KB reaches the server in one write(2) instead of one per 4 KB.
const streamBuffer = 8 << 10

// Open connects to queueDir/public/service, reads the announcement and
// sends flags.
func Open(queueDir, service string, flags int, timeout time.Duration) (*Stream, error) {
	c, err := attr.Dial(filepath.Join(queueDir, "public", service), attr.Format0, timeout)
	if err != nil {
		return nil, err
	}
	return OpenConn(c, service, flags)
}

// OpenConn is Open over a connection to public/service that the caller
// made (smtpd makes it with blocking system calls). It closes c when the
// announcement or the flags fail.
func OpenConn(c *attr.Conn, service string, flags int) (*Stream, error) {
	s := &Stream{conn: c}
	if err := c.ReadAnnouncement(Protocol, attr.RecvStr("queue_id", &s.ID)); err != nil {
		c.Close()
		return nil, fmt.Errorf("public/%s: %w", service, err)
	}
	if err := c.Print(attr.Int("flags", flags)); err != nil {
		c.Close()
		return nil, fmt.Errorf("public/%s: %w", service, err)
	}
	s.bw = bufio.NewWriterSize(c.BufWriter(), streamBuffer)
	s.W = record.NewWriter(s.bw, 0)
	return s, nil
}

// Finish flushes the records and reads the server's verdict. A
// communication failure is returned as err (and status StatWrite).
func (s *Stream) Finish() (status int, reason string, err error) {
	if err := s.W.Err(); err != nil {
		return StatWrite, "", err
	}
	if err := s.bw.Flush(); err != nil {
		return StatWrite, "", err
	}
	if err := s.conn.BufWriter().Flush(); err != nil {
		return StatWrite, "", err
	}
	n, err := s.conn.Scan(attr.Missing, attr.RecvInt("status", &status), attr.RecvStr("reason", &reason))
	if err != nil || n != 2 {
		if err == nil {
			err = fmt.Errorf("malformed cleanup reply")
		}
		return StatWrite, "", err
	}
	return status, reason, nil
}

// Flush moves the records written so far into the connection's own
// buffer, so that something else can follow them on the same
// connection (smtpd's Milter hand-off writes there directly).
func (s *Stream) Flush() error {
	if err := s.W.Err(); err != nil {
		return err
	}
	return s.bw.Flush()
}

// Close ends the connection.
func (s *Stream) Close() error { return s.conn.Close() }

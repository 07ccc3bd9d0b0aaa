package maillog

import (
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"gopostfix/libglobal/util/fdconn"
	"gopostfix/libglobal/util/msg"
)

// PostlogSink sends each record as one datagram to postlogd
// (msg_logger(3)). When postlogd is not there and FallbackFile is set, it
// appends the line to that file itself (maillog_client's logwriter
// fallback, used by commands such as postfix(1) and postlog(1)).
type PostlogSink struct {
	mu           sync.Mutex
	Tag          string
	Hostname     string
	Path         string // $queue_directory/public/$postlog_service
	FallbackFile string
	// OnFallbackError is called (once, without the sink's lock) when the
	// fallback file cannot be written; it usually logs a fatal error.
	OnFallbackError func(err error)
	failed          bool
	conn            net.Conn
	now             func() time.Time
	pid             int // os.Getpid() once (it is a system call in Go)
}

// NewPostlogSink returns a postlog client sink and connects at once.
func NewPostlogSink(tag, hostname, path, fallbackFile string) *PostlogSink {
	s := &PostlogSink{Tag: tag, Hostname: hostname, Path: path, FallbackFile: fallbackFile, now: time.Now,
		pid: os.Getpid()}
	s.connect()
	return s
}

// connect makes a blocking datagram socket, as msg_logger does (and
// outside the Go poller, whose write-space wake-ups would otherwise
// follow every record).
func (s *PostlogSink) connect() {
	if c, err := fdconn.DialUnixgram(s.Path); err == nil {
		s.conn = c
	}
}

// Emit implements msg.Sink.
func (s *PostlogSink) Emit(level msg.Level, text string) {
	if err := s.emit(level, text); err != nil {
		if s.OnFallbackError != nil {
			s.OnFallbackError(err)
			return
		}
		fmt.Fprintf(os.Stderr, "%s: fatal: logfile '%s' is not available: %v\n", s.Tag, s.FallbackFile, err)
	}
}

// emit sends one record, falling back to the file; it returns the
// fallback's first error (later records are dropped, as Postfix's
// recursion guard does).
func (s *PostlogSink) emit(level msg.Level, text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pid == 0 {
		s.pid = os.Getpid()
	}
	line := FileLine(s.now(), s.Hostname, s.Tag, s.pid, Body(level, text))
	if s.conn == nil {
		s.connect()
	}
	if s.conn != nil {
		if _, err := s.conn.Write([]byte(line)); err == nil {
			return nil
		}
		s.conn.Close()
		s.conn = nil
	}
	if s.FallbackFile == "" || s.failed {
		return nil
	}
	if err := AppendLine(s.FallbackFile, line); err != nil {
		s.failed = true
		return err
	}
	return nil
}

// Close drops the connection to postlogd.
func (s *PostlogSink) Close() {
	s.mu.Lock()
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
	s.mu.Unlock()
}

package maillog

import (
	"fmt"
	"net"
	"os"
	"sync"
	"time"

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
	conn         net.Conn
	now          func() time.Time
}

// NewPostlogSink returns a postlog client sink and connects at once.
func NewPostlogSink(tag, hostname, path, fallbackFile string) *PostlogSink {
	s := &PostlogSink{Tag: tag, Hostname: hostname, Path: path, FallbackFile: fallbackFile, now: time.Now}
	s.connect()
	return s
}

func (s *PostlogSink) connect() {
	if c, err := net.Dial("unixgram", s.Path); err == nil {
		s.conn = c
	}
}

// Emit implements msg.Sink.
func (s *PostlogSink) Emit(level msg.Level, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	line := FileLine(s.now(), s.Hostname, s.Tag, os.Getpid(), Body(level, text))
	if s.conn == nil {
		s.connect()
	}
	if s.conn != nil {
		if _, err := s.conn.Write([]byte(line)); err == nil {
			return
		}
		s.conn.Close()
		s.conn = nil
	}
	if s.FallbackFile != "" {
		if err := AppendLine(s.FallbackFile, line); err != nil {
			fmt.Fprintf(os.Stderr, "%s: fatal: logfile '%s' write error: %v\n", s.Tag, s.FallbackFile, err)
		}
	}
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

// OpenLogFile opens maillog_file for appending, creating it mode 0644, as
// logwriter_open_or_die does.
func OpenLogFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open logfile '%s': %w", path, err)
	}
	return f, nil
}

// WriteLine appends one record and a newline with a single write.
func WriteLine(f *os.File, line string) error {
	_, err := f.Write([]byte(line + "\n"))
	return err
}

// AppendLine opens path, appends one record and closes it
// (logwriter_one_shot).
func AppendLine(path, line string) error {
	f, err := OpenLogFile(path)
	if err != nil {
		return err
	}
	werr := WriteLine(f, line)
	if err := f.Close(); werr == nil {
		werr = err
	}
	return werr
}

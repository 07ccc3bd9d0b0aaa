package maillog

import (
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"gopostfix/libglobal/util/msg"
)

// facilities are the syslog_facility names Postfix accepts.
var facilities = map[string]int{
	"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6,
	"news": 7, "uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11,
	"local0": 16, "local1": 17, "local2": 18, "local3": 19,
	"local4": 20, "local5": 21, "local6": 22, "local7": 23,
}

// Facility returns the code of a syslog facility name.
func Facility(name string) (int, bool) {
	f, ok := facilities[name]
	return f, ok
}

// syslogSeverity maps Postfix levels as msg_syslog does.
func syslogSeverity(l msg.Level) int {
	switch l {
	case msg.Warning:
		return 4 // LOG_WARNING
	case msg.Error:
		return 3 // LOG_ERR
	case msg.Fatal, msg.Panic:
		return 2 // LOG_CRIT
	}
	return 6 // LOG_INFO
}

// SyslogSink sends records to the local syslog daemon in glibc's format:
// "<PRI>Mmm dd hh:mm:ss tag[pid]: body".
type SyslogSink struct {
	mu       sync.Mutex
	Tag      string
	Facility int
	Path     string // "/dev/log" unless a test says otherwise
	conn     net.Conn
	now      func() time.Time
}

// NewSyslogSink returns a sink for tag ("postfix/smtpd") and a facility
// name. The connection is made at once (LOG_NDELAY) and remade on error.
func NewSyslogSink(tag, facility string) (*SyslogSink, error) {
	f, ok := Facility(facility)
	if !ok {
		return nil, fmt.Errorf("invalid syslog facility %s", facility)
	}
	s := &SyslogSink{Tag: tag, Facility: f, Path: "/dev/log", now: time.Now}
	s.connect()
	return s, nil
}

func (s *SyslogSink) connect() {
	for _, network := range []string{"unixgram", "unix"} {
		if c, err := net.Dial(network, s.Path); err == nil {
			s.conn = c
			return
		}
	}
}

// Emit implements msg.Sink.
func (s *SyslogSink) Emit(level msg.Level, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if s.now != nil {
		now = s.now()
	}
	line := fmt.Sprintf("<%d>%s %s[%d]: %s", s.Facility<<3|syslogSeverity(level),
		now.Format(time.Stamp), s.Tag, os.Getpid(), Body(level, text))
	for try := 0; try < 2; try++ {
		if s.conn == nil {
			s.connect()
		}
		if s.conn == nil {
			return
		}
		payload := line
		if s.conn.RemoteAddr() != nil && s.conn.RemoteAddr().Network() == "unix" {
			payload += "\x00" // stream sockets frame records with NUL, as glibc does
		}
		if _, err := s.conn.Write([]byte(payload)); err == nil {
			return
		}
		s.conn.Close()
		s.conn = nil
	}
}

// Raw sends text as an info record whose tag already carries the
// process id ("postfix/smtpd[123]"), as postlogd relays records that
// arrive after maillog_file was turned off.
func (s *SyslogSink) Raw(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		s.connect()
	}
	if s.conn == nil {
		return
	}
	fmt.Fprintf(s.conn, "<%d>%s %s: %s", s.Facility<<3|6, time.Now().Format(time.Stamp), s.Tag, text)
}

// Close drops the connection to syslogd.
func (s *SyslogSink) Close() {
	s.mu.Lock()
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
	s.mu.Unlock()
}

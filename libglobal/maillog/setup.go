package maillog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unsafe"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// Environment variables master exports so that children log to postlogd
// before they have read main.cf.
const (
	EnvService  = "POSTLOG_SERVICE"
	EnvHostname = "POSTLOG_HOSTNAME"
)

// Settings are the main.cf parameters that choose and shape logging.
// A zero Settings (Configured false) means main.cf was not read yet: the
// choice then follows the environment.
type Settings struct {
	Configured     bool
	SyslogName     string // syslog_name
	Facility       string // syslog_facility
	MaillogFile    string // maillog_file
	FilePrefixes   string // maillog_file_prefixes
	QueueDir       string // queue_directory
	PostlogService string // postlog_service
	Hostname       string // myhostname
	// Fallback lets a command append to maillog_file itself when
	// postlogd is not running; when that fails too, the program dies with
	// "logfile '...' is not available" (maillog_client's fallback).
	Fallback bool
	// Tag replaces "syslog_name/name" as the record tag when not empty
	// (postlog -t).
	Tag string
}

// Logger is the handle Setup returns: the installed sink, to be closed or
// replaced when the configuration changes.
type Logger struct {
	sink msg.Sink
}

// Sink returns the installed sink.
func (l *Logger) Sink() msg.Sink { return l.sink }

// Close releases the sink's connection.
func (l *Logger) Close() {
	switch s := l.sink.(type) {
	case *SyslogSink:
		s.Close()
	case *PostlogSink:
		s.Close()
	}
}

// Setup chooses the log destination for program name (a basename or
// path) and adds it to log next to keep (stderr sinks the program wants to
// keep, or none). It exports or removes POSTLOG_SERVICE and
// POSTLOG_HOSTNAME as maillog_client_init does.
func Setup(log *msg.Logger, name string, s Settings, keep ...msg.Sink) (*Logger, error) {
	svc := os.Getenv(EnvService)
	host := os.Getenv(EnvHostname)
	syslogName := s.SyslogName
	if syslogName == "" {
		syslogName = os.Getenv("MAIL_LOGTAG")
	}
	if syslogName == "" {
		syslogName = "postfix"
	}
	tag := Tag(syslogName, name)
	if s.Tag != "" {
		tag = s.Tag
	}
	usePostlog := svc != ""
	if s.Configured {
		usePostlog = s.MaillogFile != ""
	}
	var sink msg.Sink
	if usePostlog {
		if s.Configured {
			if err := CheckPrefix(s.MaillogFile, s.FilePrefixes); err != nil {
				return nil, err
			}
			svc = filepath.Join(s.QueueDir, "public", s.PostlogService)
		}
		hostname := s.Hostname
		if hostname == "" {
			hostname = host
		}
		if hostname == "" {
			hostname = "amnesiac"
		}
		fallback := ""
		if s.Fallback {
			fallback = s.MaillogFile
		}
		os.Setenv(EnvService, svc)
		os.Setenv(EnvHostname, hostname)
		ps := NewPostlogSink(tag, hostname, svc, fallback)
		if fallback != "" {
			ps.OnFallbackError = func(err error) {
				var oe *OpenError
				if errors.As(err, &oe) {
					log.Fatalf("%v", oe)
				}
				log.Fatalf("logfile '%s' is not available: %s", fallback, errnoText(err))
			}
		}
		sink = ps
	} else {
		os.Unsetenv(EnvService)
		os.Unsetenv(EnvHostname)
		facility := s.Facility
		if facility == "" {
			facility = "mail"
		}
		ss, err := NewSyslogSink(tag, facility)
		if err != nil {
			return nil, err
		}
		sink = ss
	}
	log.SetSinks(append(append([]msg.Sink(nil), keep...), sink)...)
	return &Logger{sink: sink}, nil
}

// CheckPrefix enforces maillog_file_prefixes.
func CheckPrefix(file, prefixes string) error {
	for _, p := range strings.FieldsFunc(prefixes, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n'
	}) {
		if strings.HasPrefix(file, p) {
			return nil
		}
	}
	return fmt.Errorf("maillog_file value '%s' does not match any prefix in maillog_file_prefixes", file)
}

// errnoText is %m for the system error inside err.
func errnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return dict.ErrnoText(errno)
	}
	return dict.ErrnoText(err)
}

// IsTerminal reports whether fd is a terminal (isatty): commands log to
// standard error as well when it is.
func IsTerminal(fd int) bool {
	var t syscall.Termios
	_, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return e == 0
}

package dictproxy

import (
	"errors"
	"io"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libglobal/util/syserr"
)

// Limits of mail_connect_wait: tries before giving up, pause between.
const (
	connectTries = 11
	connectPause = 10 * time.Second
	retryPause   = time.Second // between failed requests (dict_proxy.c)
)

// stream is one service's shared connection (CLNT_STREAM).
type stream struct {
	mu      sync.Mutex
	class   string // "private", or "$queue_directory/private"
	service string // proxymap_service_name or proxywrite_service_name
	timeout time.Duration
	idle    time.Duration
	ttl     time.Duration
	log     *msg.Logger
	sleep   func(time.Duration)
	// brokenPipe, when set, runs when a request cannot be written
	// because the server closed the connection (Options.BrokenPipe).
	brokenPipe func()
	// fatal, when set, reports fatal failures at once (Options.Fatal).
	fatal func(format string, args ...any)

	conn       *attr.Conn
	born, used time.Time
}

// path is what mail_connect connects to and names in its messages.
func (s *stream) path() string { return s.class + "/" + s.service }

// access returns a connection that has passed the handshake, connecting
// when there is none or the old one is unusable (clnt_stream_access). A
// nil connection means the handshake failed; err then says why.
func (s *stream) access() (*attr.Conn, error) {
	now := time.Now()
	if s.conn != nil && (s.conn.Readable() || s.idle > 0 && now.Sub(s.used) >= s.idle ||
		s.ttl > 0 && now.Sub(s.born) >= s.ttl) {
		s.close()
	}
	s.used = now
	if s.conn != nil {
		return s.conn, nil
	}
	c, err := s.connectWait()
	if err != nil {
		return nil, err
	}
	s.conn, s.born = c, now
	if err := c.ReadAnnouncement(attr.ProtoProxymap); err != nil && !isEOF(err) {
		return nil, err
	}
	return c, nil
}

// isEOF reports a connection that ended before the announcement's first
// byte. attr_scan counts that as zero attributes received, which is what
// a STREQ-only handshake expects, so Postfix goes on and only notices
// when it sends its request.
func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, attr.ErrIO) && errnoOf(err) == 0
}

// connectWait connects, warning and pausing between failures, and gives
// up with a fatal error after the last try (mail_connect_wait).
func (s *stream) connectWait() (*attr.Conn, error) {
	for count := 1; ; count++ {
		c, err := attr.Dial(s.path(), attr.Format0, s.timeout)
		if err == nil {
			s.log.Debugf("connect to subsystem %s", s.path())
			return c, nil
		}
		if count >= connectTries {
			return nil, &dict.Error{Kind: dict.KindFatal, Err: err,
				Msg: "connect #" + strconv.Itoa(count) + " to subsystem " + s.path() + ": " + errnoText(err)}
		}
		s.log.Warnf("connect #%d to subsystem %s: %s", count, s.path(), errnoText(err))
		s.sleep(connectPause)
	}
}

// fail passes a dict.KindFatal error to the fatal hook, when there is
// one, and returns err.
func (s *stream) fail(err error) error {
	if s.fatal != nil && dict.KindOf(err) == dict.KindFatal {
		s.fatal("%s", err.Error())
	}
	return err
}

// close drops the connection (clnt_stream_recover).
func (s *stream) close() {
	if s.conn != nil {
		s.log.Debugf("%s stream disconnect", s.service)
		s.conn.Close()
		s.conn = nil
	}
}

// errnoOf is the errno a failed exchange leaves behind, 0 when the
// failure was not a system error (end of file, bad reply).
func errnoOf(err error) syscall.Errno {
	var e syscall.Errno
	if errors.As(err, &e) {
		return e
	}
	return 0
}

// errnoText is "%m" after err.
func errnoText(err error) string { return syserr.Errno(errnoOf(err)) }

// quiet reports whether a first failure goes unreported: errno 0, EPIPE
// or ENOENT (a server that went away between requests).
func quiet(err error) bool {
	e := errnoOf(err)
	return e == 0 || e == syscall.EPIPE || e == syscall.ENOENT
}

// servicePrefix is "private" when ./private/service exists (a program
// running in the queue directory), else "$queue_directory/private".
func servicePrefix(queueDir, service string) string {
	if _, err := os.Stat("private/" + service); err == nil {
		return "private"
	}
	return queueDir + "/private"
}

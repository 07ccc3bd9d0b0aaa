package main

import (
	"fmt"
	"time"

	"gopostfix/libglobal/postmail"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// Server features (SMTP_FEATURE_*).
const (
	featESMTP         = 1 << 0
	feat8BitMIME      = 1 << 1
	featPipelining    = 1 << 2
	featSize          = 1 << 3
	featStartTLS      = 1 << 4
	featAuth          = 1 << 5
	featXfwdName      = 1 << 7
	featXfwdAddr      = 1 << 8
	featXfwdProto     = 1 << 9
	featXfwdHelo      = 1 << 10
	featXfwdDomain    = 1 << 11
	featBestMX        = 1 << 12
	featRsetRejected  = 1 << 13
	featFromCache     = 1 << 14
	featDSN           = 1 << 15
	featXfwdPort      = 1 << 18
	featXfwdIdent     = 1 << 20
	featSMTPUTF8      = 1 << 21
	featEndpointMask  = ^(featBestMX | featRsetRejected | featFromCache)
	featDestationMask = featBestMX
)

// Session error classes for postmaster notices (MAIL_ERROR_*): smtp
// marks protocol and local data errors only.
const (
	errorProtocol = postmail.ErrProtocol
	errorData     = postmail.ErrData
)

// session is one connection to a server (SMTP_SESSION).
type session struct {
	st          *stream
	log         *msg.Logger
	lmtp        bool
	host, addr  string // server name and address (or socket path)
	port        int    // 0 for UNIX-domain sockets
	namaddr     string // "host[addr]"
	namaddrport string // "host[addr]:port" (TCP)
	helo        string // the name in the EHLO reply
	features    int
	sizeLimit   int64
	errorMask   int
	history     []string
	lineLimit   int // line_length_limit, for replies
	queueID     string
	helpful     bool

	ehloDiscardMapsName string
	replyFilter         dict.Dict // smtp_reply_filter

	// Connection caching (expire_time, forbidden, reuse_count).
	created    time.Time
	expire     int64 // >0: cache until this time; 0: do not cache; -1: throttled
	forbidden  bool
	reuseCount int

	sendProtoHelo bool

	tls           *tlsSession // nil without TLS
	tlsRetryPlain bool
	tlsNexthop    string

	saslUser, saslPasswd string
	saslMechs            string // mechanisms the server offered
}

// newSession wraps a new connection (smtp_session_alloc).
func newSession(st *stream, log *msg.Logger, host, addr string, port int, start time.Time, store bool, reuseLimit time.Duration) *session {
	s := &session{st: st, log: log, host: host, addr: addr, port: port, created: start}
	s.namaddr = host + "[" + addr + "]"
	s.namaddrport = s.namaddr
	if port != 0 {
		s.namaddrport = fmt.Sprintf("%s:%d", s.namaddr, port)
	}
	if store {
		s.expire = start.Add(reuseLimit).Unix()
	}
	return s
}

// Caching decisions (THIS_SESSION_IS_* and friends in smtp.h).
func (s *session) forbid()             { s.forbidden = true }
func (s *session) dontCache()          { s.expire = 0 }
func (s *session) dontCacheThrottled() { s.expire = -1 }
func (s *session) cached() bool        { return !s.forbidden && s.expire > 0 }
func (s *session) throttled() bool     { return !s.forbidden && s.expire < 0 }

// expired reports a cached session past its reuse time or count.
func (s *session) expired(countLimit int) bool {
	return s.cached() && (s.expire < s.st.last.Unix() || (countLimit > 0 && s.reuseCount >= countLimit))
}

// close ends the session (smtp_session_free): pending output is
// flushed, TLS is shut down, the connection closed.
func (s *session) close() {
	if s.st == nil {
		return
	}
	s.st.flush()
	if s.tls != nil {
		s.tls.close()
	}
	s.st.close()
	s.st = nil
}

package main

import (
	"net"
	"syscall"
	"time"
)

// session is one client connection being screened (PSC_STATE). Its
// fields are guarded by screen.mu.
type session struct {
	sc    *screen
	conn  net.Conn
	raw   syscall.RawConn
	flags uint32
	info  *clientInfo

	clientAddr, clientPort string
	serverAddr, serverPort string
	finalReply             string // said before hanging up
	rcptReply              string // how RCPT and VRFY are refused
	sendBuf                []byte // output the client did not take yet

	startTime time.Time
	testName  string

	dnsblScore int
	dnsblTTL   int
	dnsblName  string
	dnsblIndex int

	commandCount    int
	protocol        string
	helo, sender    string
	hasHelo         bool
	hasSender       bool
	cmdBuf          []byte
	crSeen          bool   // the command read state machine saw CR
	input           []byte // read but not yet parsed
	ehloDiscardMask int
	where           string

	freed  bool
	timers map[string]uint64
	timerN uint64
	read   readState
	server net.Conn // the pass connection to smtpd, while handing off
}

// newSession registers a connection (psc_new_session_state): it counts
// it, updates the stress level and the client's shared state.
func (sc *screen) newSession(c net.Conn, clientAddr, clientPort, serverAddr, serverPort string) *session {
	s := &session{sc: sc, conn: c, clientAddr: clientAddr, clientPort: clientPort,
		serverAddr: serverAddr, serverPort: serverPort,
		testName:   "TEST NAME HERE",
		finalReply: "421 4.3.2 Service currently unavailable\r\n",
		rcptReply:  "450 4.3.2 Service currently unavailable\r\n",
		protocol:   "SMTP", where: "CONNECT", timers: map[string]uint64{}}
	if sc, ok := c.(syscall.Conn); ok {
		s.raw, _ = sc.SyscallConn()
	}
	sc.checkQueue++
	if !sc.stress && sc.checkQueue >= sc.cfg.highWater {
		sc.stress = true
		sc.log.Infof("entering STRESS mode with %d connections", sc.checkQueue)
	}
	if info := sc.clients[clientAddr]; info != nil {
		s.info = info
		info.concurrency++
	} else {
		s.info = &clientInfo{concurrency: 1}
		for i := range s.info.expire {
			s.info.expire[i] = stampInvalid
		}
		sc.clients[clientAddr] = s.info
	}
	return s
}

// free ends the session (psc_free_session_state): it closes the client
// and smtpd connections and updates the counters and the stress level.
func (s *session) free() {
	sc := s.sc
	if s.freed {
		return
	}
	s.freed = true
	s.cancelTimers()
	s.disableRead()
	if s.info.concurrency--; s.info.concurrency == 0 {
		delete(sc.clients, s.clientAddr)
	}
	if s.conn != nil {
		sc.srv.Disconnect(s.conn)
		s.conn = nil
		sc.checkQueue--
	}
	if s.server != nil {
		s.server.Close()
		s.server = nil
		sc.postQueue--
	}
	if sc.stress && sc.checkQueue <= sc.cfg.lowWater {
		sc.stress = false
		sc.log.Infof("leaving STRESS mode with %d connections", sc.checkQueue)
	}
}

// beginTests names the current test phase for HANGUP lines
// (PSC_BEGIN_TESTS).
func (s *session) beginTests(name string) {
	s.testName = name
	s.startTime = time.Now()
}

// setTimer runs fn after d with the screen locked, replacing the
// session's earlier timer of the same name (event_request_timer).
func (s *session) setTimer(name string, d time.Duration, fn func()) {
	s.timerN++
	gen := s.timerN
	s.timers[name] = gen
	time.AfterFunc(d, func() {
		s.sc.mu.Lock()
		defer s.sc.mu.Unlock()
		if s.freed || s.timers[name] != gen {
			return
		}
		delete(s.timers, name)
		fn()
	})
}

// cancelTimer is event_cancel_timer.
func (s *session) cancelTimer(name string) { delete(s.timers, name) }

func (s *session) cancelTimers() { clear(s.timers) }

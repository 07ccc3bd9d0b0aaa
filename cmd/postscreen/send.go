package main

import (
	"errors"
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/smtpreply"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/fdpass"
)

// Hand-off limits (PSC_SEND_SOCK_CONNECT_TIMEOUT, _NOTIFY_TIMEOUT).
const (
	sendConnectTimeout = time.Second
	sendNotifyTimeout  = 100 * time.Second
)

// sendReply sends text (a reply with its CRLF) without blocking
// (psc_send_reply): what the client does not take now is sent with the
// next reply. With soft_bounce a 5XX reply goes out as 4XX. It reports
// a write error other than "try again".
func (s *session) sendReply(text string) bool {
	if s.sc.log.Verbose > 0 {
		s.sc.log.Infof("> [%s]:%s: %s", s.clientAddr, s.clientPort, text[:len(text)-2])
	}
	start := len(s.sendBuf)
	s.sendBuf = append(s.sendBuf, text...)
	if s.sc.cfg.softBounce {
		if text[0] == '5' {
			s.sendBuf[start] = '4'
		}
		if len(text) > 4 && text[4] == '5' {
			s.sendBuf[start+4] = '4'
		}
	}
	if len(text) > 0 && (text[0] == '4' || text[0] == '5') {
		s.addFooter(start)
	}
	if s.conn == nil {
		return false // a session without a stream (tests): nothing to send to
	}
	n, err := writeNow(s.raw, s.sendBuf)
	if n > 0 {
		s.sendBuf = s.sendBuf[n:]
	}
	if err != nil && err != syscall.EAGAIN && err != syscall.EPIPE && err != syscall.ECONNRESET {
		s.sc.log.Warnf("write [%s]:%s: %s", s.clientAddr, s.clientPort, dict.ErrnoText(err))
	}
	return err != nil && err != syscall.EAGAIN
}

// addFooter appends the reject footer to the reply that starts at
// sendBuf[start]: the postscreen_reject_footer_maps value for the reply
// text, else postscreen_reject_footer, with the session macros expanded.
func (s *session) addFooter(start int) {
	sc := s.sc
	text := string(s.sendBuf[start:])
	footer := ""
	if sc.footerMaps != nil {
		sc.timed(&sc.latency.mapsFind, sc.footerMaps.Title, "lookup", func() {
			if v, found, err := sc.footerMaps.Find(strings.TrimSuffix(text, "\r\n"), false); err == nil && found {
				footer = v
			}
		})
	}
	if footer == "" {
		footer = sc.cfg.rejFooter
	}
	if footer == "" {
		return
	}
	out, _ := smtpreply.Footer(text, footer, sc.cfg.expandFilter, s.expandLookup, func(w string) { sc.log.Warnf("%s", w) })
	s.sendBuf = append(s.sendBuf[:start], out...)
}

// expandLookup is psc_expand_lookup: the names a reject footer may use.
// Configuration parameters stay hidden, except the server's name.
func (s *session) expandLookup(name string) (string, bool) {
	switch name {
	case "server_name":
		return s.sc.cfg.myhostname, true
	case "client_address":
		return s.clientAddr, true
	case "client_port":
		return s.clientPort, true
	case "localtime":
		return time.Now().Format("Jan 02 15:04:05"), true
	}
	s.sc.log.Warnf("unknown macro name \"%s\" in expansion request", name)
	return "", false
}

// sendSocket hands the client to the real SMTP server (psc_send_socket):
// it connects to the smtpd "pass" service, passes the descriptor and the
// endpoint attributes, then waits (at most 100s) for smtpd to close the
// channel before forgetting the session.
func (s *session) sendSocket() {
	sc := s.sc
	path := filepath.Join(sc.srv.QueueDir, sc.cfg.smtpdService)
	nc, err := net.DialTimeout("unix", path, sendConnectTimeout)
	if err != nil {
		sc.log.Warnf("cannot connect to service %s: %s", sc.cfg.smtpdService, dict.ErrnoText(unwrapErrno(err)))
		if s.flags&fPregrTodo != 0 {
			s.x21("421 4.3.2 No system resources\r\n")
		} else {
			s.sendReply("421 4.3.2 All server ports are busy\r\n")
			s.free()
		}
		return
	}
	if err := s.passConn(nc.(*net.UnixConn)); err != nil {
		sc.log.Warnf("cannot pass connection to service %s: %s", sc.cfg.smtpdService, dict.ErrnoText(unwrapErrno(err)))
		nc.Close()
		if s.flags&fPregrTodo != 0 {
			s.x21("421 4.3.2 No system resources\r\n")
		} else {
			s.sendReply("421 4.3.2 No system resources\r\n")
			s.free()
		}
		return
	}
	s.server = nc
	sc.postQueue++
	s.setTimer("send", sendNotifyTimeout, func() {
		sc.log.Warnf("timeout sending connection to service %s", sc.cfg.smtpdService)
		s.free()
	})
	go func() {
		// smtpd closes the channel once it has the descriptor.
		var b [1]byte
		nc.Read(b[:])
		sc.mu.Lock()
		defer sc.mu.Unlock()
		if !s.freed && s.server == nc {
			s.free()
		}
	}()
}

// passConn sends the client descriptor, then the endpoint attributes
// (LOCAL_SEND_FD and attr_print, with no handshake in between).
func (s *session) passConn(u *net.UnixConn) error {
	if s.raw == nil {
		return errors.New("not a socket")
	}
	var ferr error
	if err := s.raw.Control(func(fd uintptr) { ferr = fdpass.Send(u, int(fd)) }); err != nil {
		return err
	}
	if ferr != nil {
		return ferr
	}
	u.SetWriteDeadline(time.Now().Add(sendNotifyTimeout))
	w := attr.NewWriter(u, attr.Format0)
	return w.Print(attr.Str("client_address", s.clientAddr), attr.Str("client_port", s.clientPort),
		attr.Str("server_address", s.serverAddr), attr.Str("server_port", s.serverPort))
}

// unwrapErrno digs the system error out of a net error, for %m texts.
func unwrapErrno(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return err
}

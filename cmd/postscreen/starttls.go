package main

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"gopostfix/libglobal/ehlomask"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/fdpass"
)

// tlsproxyInitTimeout bounds each step of the tlsproxy hand-shake
// (TLSPROXY_INIT_TIMEOUT).
const tlsproxyInitTimeout = 10 * time.Second

// starttlsCmd hands the TLS handshake to tlsproxy(8)
// (psc_starttls_cmd): the engine is suspended until tlsproxy answers,
// then talks plaintext to tlsproxy instead of the client.
func (s *session) starttlsCmd(args string) {
	switch {
	case hasToken(args):
		s.sendReply("501 Syntax: EHLO hostname\r\n")
	case s.flags&fUsingTLS != 0:
		s.sendReply("554 5.5.1 Error: TLS already active\r\n")
	case !s.sc.cfg.useTLS || s.ehloDiscardMask&ehlomask.StartTLS != 0:
		s.sendReply("502 5.5.1 Error: command not implemented\r\n")
	default:
		s.disableRead()
		s.cancelTimer("smtpd")
		s.startTLS()
		return
	}
	s.afterCommand()
}

// afterCommand is what the engine does after a command that did not
// end or suspend the session: re-arm the time limit, go on with
// buffered input.
func (s *session) afterCommand() {
	s.setTimer("smtpd", s.sc.cmdTimeLimit(), s.smtpdTime)
}

// startTLS talks to tlsproxy in the background (psc_starttls_open,
// _first, _finish) and resumes the engine with the screen locked.
func (s *session) startTLS() {
	sc := s.sc
	service := sc.cfg.tlsService
	fail := func(format string, args ...any) {
		sc.log.Warnf(format, args...)
		s.sendReply("454 4.7.0 TLS not available due to local problem\r\n")
		s.setTimer("resume", 0, s.resumeCommands)
	}
	nc, err := net.DialTimeout("unix", filepath.Join(sc.srv.QueueDir, service), time.Second)
	if err != nil {
		fail("connect to %s service: %s", service, dict.ErrnoText(unwrapErrno(err)))
		return
	}
	client := s.conn
	endpoint := "[" + s.clientAddr + "]:" + s.clientPort
	timeout := sc.cfg.cmdTimeNormal
	go func() {
		c := attr.NewConn(nc, attr.Format0, service, tlsproxyInitTimeout)
		err := c.ReadAnnouncement(attr.ProtoTLSProxy)
		var status int
		step := "protocol"
		if err == nil {
			err = c.Print(attr.Str("remote_endpoint", endpoint), attr.Int("flags", 1),
				attr.Int("timeout", timeout), attr.Int("timeout", timeout), attr.Str("serverid", "smtpd"))
			step = "request"
		}
		if err == nil {
			step = "status"
			var n int
			if n, err = c.Scan(attr.Strict, attr.RecvInt("status", &status)); err == nil && (n != 1 || status == 0) {
				err = attr.ErrMissing
			}
		}
		var sendErr error
		if err == nil {
			if cerr := s.raw.Control(func(fd uintptr) { sendErr = fdpass.Send(nc.(*net.UnixConn), int(fd)) }); cerr != nil {
				sendErr = cerr
			}
		}
		sc.mu.Lock()
		defer sc.mu.Unlock()
		if s.freed || s.conn != client {
			nc.Close()
			return
		}
		switch {
		case err != nil && step == "protocol":
			nc.Close()
			fail("%s receiving %s attribute from %s service: %s", timeoutOr(err), "protocol", service, dict.ErrnoText(unwrapErrno(err)))
		case err != nil && step == "request":
			nc.Close()
			fail("error sending request to %s service: %s", service, dict.ErrnoText(unwrapErrno(err)))
		case err != nil:
			nc.Close()
			fail("%s receiving status from %s service", timeoutOr(err), service)
		case sendErr != nil:
			nc.Close()
			fail("problem sending file handle to %s service", service)
		default:
			s.sendReply("220 2.0.0 Ready to start TLS\r\n")
			s.swapToProxy(nc)
			s.flags |= fUsingTLS
			s.helo, s.hasHelo, s.sender, s.hasSender = "", false, "", false
			s.resumeCommands()
		}
	}()
}

// swapToProxy makes the tlsproxy stream the session's client stream; the
// direct connection to the client is closed (VSTREAM_CTL_SWAP_FD).
func (s *session) swapToProxy(nc net.Conn) {
	s.disableRead()
	old := s.conn
	s.conn = nc
	s.raw = nil
	if sys, ok := nc.(syscall.Conn); ok {
		s.raw, _ = sys.SyscallConn()
	}
	s.input, s.sendBuf = nil, nil
	old.Close() // the skeleton's client count follows s.conn from now on
	s.read.running = false
}

func timeoutOr(err error) string {
	if isTimeout(err) {
		return "timeout"
	}
	return "problem"
}

func isTimeout(err error) bool {
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, attr.ErrTimeout)
}

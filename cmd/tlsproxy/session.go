package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/fdpass"
	"gopostfix/libmaster"
	"gopostfix/libtls"
)

// Request flags (TLS_PROXY_FLAG_*).
const (
	flagRoleServer  = 1 << 0
	flagRoleClient  = 1 << 1
	flagSendContext = 1 << 2
)

// session is one hand-off: the plaintext stream to the requester and,
// once passed, the remote peer's socket.
type session struct {
	p        *proxy
	s        *libmaster.Server
	plain    net.Conn
	endpoint string
	serverID string
	flags    int
	// handshake and idle bound the handshake and each wait for data
	// (the session timeout plus ten seconds).
	handshake, idle time.Duration
	handshaking     bool
}

// serve runs one session to its end (tlsp_service and the event chain
// that follows it).
func (p *proxy) serve(s *libmaster.Server, c net.Conn) {
	ss := &session{p: p, s: s, plain: c}
	defer ss.free()
	ac := attr.NewConn(c, attr.Format0, "plaintext", 5*time.Second)
	if err := ac.Announce(attr.ProtoTLSProxy); err != nil {
		s.Log.Warnf("write %s attribute: %s", attr.AttrProtocol, errnoText(err))
	}
	ac.Timeout = initTimeout
	var handshake, session int
	n, err := ac.Scan(attr.Strict, attr.RecvStr("remote_endpoint", &ss.endpoint), attr.RecvInt("flags", &ss.flags),
		attr.RecvInt("timeout", &handshake), attr.RecvInt("timeout", &session), attr.RecvStr("serverid", &ss.serverID))
	if err != nil || n != 5 {
		s.Log.Warnf("tlsp_get_request_event: receive request attributes: %s", errnoText(err))
		ss.endpoint, ss.serverID = "", ""
		return
	}
	direction := "(bogus_direction)"
	switch {
	case ss.flags&flagRoleServer != 0:
		direction = "from"
	case ss.flags&flagRoleClient != 0:
		direction = "to"
	}
	s.Log.Infof("CONNECT %s %s", direction, ss.endpoint)
	// From here until the handshake completes, ending the session is a
	// failed handshake, whatever the reason (TLSP_FLAG_DO_HANDSHAKE).
	ss.handshaking = true
	ss.handshake = time.Duration(handshake) * time.Second
	ss.idle = time.Duration(session+10) * time.Second
	ready := 0
	var req *clientRequest
	switch ss.flags & (flagRoleServer | flagRoleClient) {
	case flagRoleServer:
		if p.server != nil {
			ready = 1
		}
	case flagRoleClient:
		if req, err = scanClientRequest(ac); err != nil {
			s.Log.Warnf("tlsp_get_request_event: receive client TLS settings: %s", errnoText(err))
			return
		}
		p.checkClient(s, req)
		ready = 1
	default:
		s.Log.Warnf("tlsp_get_request_event: bad request flags: 0x%x", ss.flags)
	}
	if ac.Print(attr.Int("status", ready)) != nil || ready == 0 {
		ss.waitClose(ac)
		return
	}
	fd, err := ss.receiveFd(ac)
	if err != nil {
		s.Log.Warnf("tlsp_get_fd_event: receive remote SMTP peer file descriptor: %s", errnoText(err))
		return
	}
	peer, err := fileConn(fd)
	if err != nil {
		s.Log.Warnf("tlsp_get_fd_event: receive remote SMTP peer file descriptor: %s", errnoText(err))
		return
	}
	defer peer.Close()
	var tc *tls.Conn
	ok := false
	if req != nil {
		var ctx *clientContext
		if tc, ctx, ok = ss.connect(peer, req); ok && ss.flags&flagSendContext != 0 {
			if err := ctx.send(ac); err != nil {
				s.Log.Warnf("cannot send TLS context: %s", errnoText(err))
				tc.Close()
				return
			}
		}
	} else {
		tc, ok = ss.accept(peer)
	}
	if !ok {
		return
	}
	ss.handshaking = false
	ss.relay(tc)
}

// waitClose waits (at most initTimeout) for the requester to hang up
// after a "not available" status.
func (ss *session) waitClose(ac *attr.Conn) {
	ss.plain.SetReadDeadline(time.Now().Add(initTimeout))
	io.Copy(io.Discard, ss.plain)
}

// receiveFd takes the peer socket from the requester (no dummy record:
// tlsproxy's requesters send the descriptor right after the status).
func (ss *session) receiveFd(ac *attr.Conn) (int, error) {
	if ac.R.Buffered() != 0 {
		return -1, errors.New("unexpected data before file descriptor")
	}
	u, ok := ss.plain.(*net.UnixConn)
	if !ok {
		return -1, errors.New("not a UNIX-domain socket")
	}
	u.SetDeadline(time.Now().Add(initTimeout))
	defer u.SetDeadline(time.Time{})
	return fdpass.Recv(u)
}

func fileConn(fd int) (net.Conn, error) {
	f := os.NewFile(uintptr(fd), "ciphertext")
	defer f.Close()
	return net.FileConn(f)
}

// accept runs the server handshake and logs its summary.
func (ss *session) accept(peer net.Conn) (*tls.Conn, bool) {
	tc := tls.Server(peer, ss.p.server.Config)
	if ss.handshake > 0 {
		peer.SetDeadline(time.Now().Add(ss.handshake))
	}
	if err := tc.Handshake(); err != nil {
		ss.handshakeError(peer, err)
		return nil, false
	}
	peer.SetDeadline(time.Time{})
	var own *tls.Certificate
	if cs := ss.p.server.Config.Certificates; len(cs) > 0 {
		own = &cs[0]
	}
	info := libtls.Describe(tc.ConnectionState(), own)
	if ss.p.logLevel >= 1 {
		ss.s.Log.Infof("%s", info.Summary(ss.endpoint))
	}
	return tc, true
}

// handshakeError logs why a handshake failed. Data that is not TLS at
// all gets OpenSSL's words, and the connection is reset, as OpenSSL
// leaves the rest of the client's line unread; a client that just goes
// away is not worth a warning.
func (ss *session) handshakeError(peer net.Conn, err error) {
	var rh tls.RecordHeaderError
	switch {
	case errors.As(err, &rh):
		ss.s.Log.Warnf("TLS library problem: error:0A00010B:SSL routines::wrong version number:../ssl/record/ssl3_record.c:350:")
		if tc, ok := peer.(*net.TCPConn); ok {
			tc.SetLinger(0)
		}
	case isEOF(err), errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, syscall.ECONNRESET):
	default:
		ss.s.Log.Warnf("TLS library problem: %v", err)
	}
}

// free ends the session (tlsp_state_free): the handshake failure note,
// the requester's connection and the DISCONNECT line.
func (ss *session) free() {
	if ss.endpoint != "" && ss.serverID != "" && ss.handshaking {
		ss.s.Log.Infof("TLS handshake failed for service=%s peer=%s", ss.serverID, ss.endpoint)
	}
	ss.s.Disconnect(ss.plain)
	if ss.endpoint != "" {
		ss.s.Log.Infof("DISCONNECT %s", ss.endpoint)
	}
}

func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

func errnoText(err error) string {
	if err == nil {
		return "Success"
	}
	return fmt.Sprint(err)
}

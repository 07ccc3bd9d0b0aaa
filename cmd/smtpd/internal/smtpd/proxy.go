package smtpd

import (
	"bufio"
	"errors"
	"net"
	"os"
	"strings"
	"time"

	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/syserr"
)

// The reply a proxy command waits for: the first digit wanted, any
// reply, or none at all (smtpd_proxy.h SMTPD_PROX_WANT_*).
const (
	proxyWantNone = 0
	proxyWantAny  = '0'
	proxyWantOK   = '2'
	proxyWantMore = '3'
)

// proxyFakeReply is what the client gets when the before-queue filter
// cannot be talked to: the CLEANUP_STAT_PROXY detail.
const proxyFakeReply = "451 4.3.0 Error: queue file write error"

// proxySaved is one step of a speed_adjust transaction kept until the
// message is complete: a command with the reply it wants, or a line of
// content.
type proxySaved struct {
	cmd    bool
	expect byte
	typ    byte
	text   string
}

// proxy is the connection to the smtpd_proxy_filter server of one mail
// transaction (smtpd_proxy.c): the client's MAIL, RCPT and DATA commands
// and the message go to it, and its replies go back to the client.
type proxy struct {
	name     string // smtpd_proxy_filter as configured
	timeout  time.Duration
	ehlo     string
	mailFrom string // the client's MAIL FROM command line

	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer
	// broken is set once the stream saw an error or end of file;
	// nothing more is sent then, not even QUIT.
	broken bool

	request string // the last command sent
	reply   string // the last reply, lines joined with CRLF

	// With speed_adjust the transaction is kept here and only sent,
	// once the client has sent the whole message, over a connection
	// made then.
	speed bool
	saved []proxySaved
}

// proxyConn applies smtpd_proxy_timeout to every read and write.
type proxyConn struct {
	net.Conn
	timeout time.Duration
}

func (c proxyConn) Read(p []byte) (int, error) {
	_ = c.SetReadDeadline(time.Now().Add(c.timeout))
	return c.Conn.Read(p)
}

func (c proxyConn) Write(p []byte) (int, error) {
	_ = c.SetWriteDeadline(time.Now().Add(c.timeout))
	return c.Conn.Write(p)
}

// proxyEnabled reports whether mail goes to a before-queue filter
// (USE_SMTPD_PROXY).
func (ss *Session) proxyEnabled() bool { return !ss.StandAlone && ss.cfg.ProxyFilter != "" }

// openStream is mail_open_stream: the before-queue filter when one is
// configured, else cleanup. On failure the client has its reply.
func (ss *Session) openStream() bool {
	if ss.proxyMail == "" {
		return ss.openMessage()
	}
	p := &proxy{name: ss.cfg.ProxyFilter, timeout: ss.cfg.ProxyFilterTimeout, ehlo: ss.cfg.ProxyEHLO,
		mailFrom: ss.proxyMail, speed: ss.cfg.ProxySpeedAdjust}
	ss.proxy = p
	if !p.speed && !ss.proxyConnect() {
		ss.reply(p.reply)
		ss.proxyFree()
		return false
	}
	ss.logClient()
	return true
}

// proxyFree ends the proxy connection of the transaction.
func (ss *Session) proxyFree() {
	if ss.proxy != nil {
		ss.proxyClose()
		ss.proxy = nil
	}
}

// proxyClose says QUIT (without waiting for the answer, which must not
// replace the reply kept for the client) and closes the connection.
func (ss *Session) proxyClose() {
	p := ss.proxy
	if p.conn == nil {
		return
	}
	if !p.broken {
		ss.proxySend(proxyWantNone, "QUIT")
	}
	_ = p.conn.Close()
	p.conn = nil
}

// proxyEndpoint maps smtpd_proxy_filter to a connect address: unix:path,
// else an inet host:port with an optional "inet:" prefix.
func proxyEndpoint(name string) string {
	if len(name) >= 5 && strings.EqualFold(name[:5], "unix:") {
		return "unix:" + name[5:]
	}
	if len(name) >= 5 && strings.EqualFold(name[:5], "inet:") {
		name = name[5:]
	}
	return "inet:" + name
}

// proxyConnect is smtpd_proxy_connect: connect, read the greeting, say
// EHLO, forward the client's identity when the filter announces
// XFORWARD, then send the client's MAIL FROM command.
func (ss *Session) proxyConnect() bool {
	p := ss.proxy
	var conn net.Conn
	err := errors.New("no connect function")
	if ss.deps.DialPolicy != nil {
		conn, err = ss.deps.DialPolicy(proxyEndpoint(p.name), p.timeout)
	}
	if err != nil {
		ss.log.Warnf("connect to proxy filter %s: %s", p.name, syserr.Text(err))
		return ss.proxyError(nil)
	}
	pc := proxyConn{conn, p.timeout}
	p.conn, p.r, p.w, p.broken = conn, bufio.NewReader(pc), bufio.NewWriter(pc), false
	if !ss.proxySend(proxyWantOK, "") || !ss.proxySend(proxyWantOK, "EHLO "+p.ehlo) {
		p.reply = proxyFakeReply
		ss.proxyClose()
		return false
	}
	if features := xforwardFeatures(p.reply); features != 0 {
		if !ss.proxyXforward(features) {
			p.reply = proxyFakeReply
			ss.proxyClose()
			return false
		}
	}
	if !ss.proxySend(proxyWantOK, p.mailFrom) {
		ss.proxyClose()
		return false
	}
	return true
}

// proxyError is smtpd_proxy_rdwr_error: log an I/O error (none for a
// connect failure or an unexpected positive reply), mark the message
// failed and give the client the generic reply.
func (ss *Session) proxyError(err error) bool {
	p := ss.proxy
	if err != nil {
		p.broken = true
		if isTimeout(err) {
			ss.log.Warnf("timeout talking to proxy %s", p.name)
		} else {
			ss.log.Warnf("lost connection with proxy %s", p.name)
		}
	}
	ss.errMask |= errSoftware
	ss.err |= StatProxy
	p.reply = proxyFakeReply
	return false
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// proxyCmd sends a command of the transaction, or with speed_adjust
// keeps it; the final "." of a kept transaction sends it all.
func (ss *Session) proxyCmd(expect byte, cmd string) bool {
	p := ss.proxy
	if !p.speed {
		return ss.proxySend(expect, cmd)
	}
	p.saved = append(p.saved, proxySaved{cmd: true, expect: expect, text: cmd})
	if cmd != "." {
		return true
	}
	return ss.proxyReplay()
}

// proxyReplay connects to the filter and sends a kept transaction,
// stopping at the first reply that is not the one wanted.
func (ss *Session) proxyReplay() bool {
	p := ss.proxy
	if !ss.proxyConnect() {
		return false
	}
	for _, s := range p.saved {
		ok := true
		if s.cmd {
			ok = ss.proxySend(s.expect, s.text)
		} else {
			ok = ss.proxyWrite(s.typ, s.text)
		}
		if !ok {
			return false
		}
	}
	return true
}

// proxyPut sends (or keeps) one content record: a line, or with
// record.Cont a piece of one.
func (ss *Session) proxyPut(typ byte, text string) bool {
	p := ss.proxy
	if p.speed && p.conn == nil {
		p.saved = append(p.saved, proxySaved{typ: typ, text: text})
		return true
	}
	return ss.proxyWrite(typ, text)
}

// proxyWrite writes one content record to the connection.
func (ss *Session) proxyWrite(typ byte, text string) bool {
	p := ss.proxy
	if p.broken || p.conn == nil {
		return ss.proxyError(nil)
	}
	_, err := p.w.WriteString(text)
	if err == nil && typ != record.Cont {
		_, err = p.w.WriteString("\r\n")
	}
	if err != nil {
		return ss.proxyError(err)
	}
	return true
}

// proxySend is smtpd_proxy_cmd: send a command (none for the greeting),
// then read the reply unless none is wanted. A reply other than the one
// wanted is kept for the client, but a positive one in the wrong place
// becomes the generic error.
func (ss *Session) proxySend(expect byte, cmd string) bool {
	p := ss.proxy
	if p.broken || p.conn == nil {
		return ss.proxyError(nil)
	}
	p.request = cmd
	if cmd != "" {
		if _, err := p.w.WriteString(cmd + "\r\n"); err != nil {
			return ss.proxyError(err)
		}
	}
	if err := p.w.Flush(); err != nil {
		return ss.proxyError(err)
	}
	if expect == proxyWantNone {
		return true
	}
	reply, err := ss.proxyReadReply()
	if err != nil {
		return ss.proxyError(err)
	}
	p.reply = reply
	if expect != proxyWantAny && expect != reply[0] {
		req := p.request
		if req == "" {
			req = "connection request"
		}
		ss.log.Warnf("proxy %s rejected \"%s\": \"%s\"", p.name, req, reply)
		if reply[0] == proxyWantOK || reply[0] == proxyWantMore {
			ss.proxyError(nil)
		}
		return false
	}
	return true
}

// proxyReadReply reads one (multi-line) reply. Lines are made printable;
// text beyond line_length_limit is dropped; a line that is not "ddd-"
// or "ddd " is logged as garbage and read past.
func (ss *Session) proxyReadReply() (string, error) {
	p := ss.proxy
	limit := ss.cfg.LineLimit
	var reply strings.Builder
	for {
		line, complete, err := readBoundedLine(p.r, limit)
		if err != nil {
			return "", err
		}
		line = printable(line)
		if !complete {
			ss.log.Warnf("%s: response longer than %d: %s...", p.name, limit, truncate(line, 30))
		}
		if reply.Len() < limit {
			if reply.Len() > 0 {
				reply.WriteString("\r\n")
			}
			reply.WriteString(line)
		}
		n := 0
		for n < len(line) && isDigit(line[n]) {
			n++
		}
		if n == 3 {
			if len(line) > 3 && line[3] == '-' {
				continue
			}
			if len(line) == 3 || line[3] == ' ' {
				break
			}
		}
		ss.log.Warnf("received garbage from proxy %s: %s", p.name, truncate(line, 100))
	}
	return reply.String(), nil
}

// readBoundedLine reads a line as smtp_get with skip: at most limit
// bytes are kept, the rest of a longer line is read and dropped, and the
// line end (LF, with any CRs before it) is removed. complete is false
// for an over-long line.
func readBoundedLine(r *bufio.Reader, limit int) (line string, complete bool, err error) {
	var b []byte
	complete = true
	for {
		c, err := r.ReadByte()
		if err != nil {
			return "", false, err
		}
		if c == '\n' {
			break
		}
		if len(b) < limit {
			b = append(b, c)
		} else {
			complete = false
		}
	}
	for len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return string(b), complete, nil
}

package smtpclient

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// mode is how the stub behaves on one port, after the reference stub
// of the golden vectors (reference/smtp-client/instance-config/stub.py).
type mode struct {
	greet     string // "" = standard, "-" = drop, "sleep" = never answer
	ehlo      string // reply to EHLO/LHLO instead of the extensions; "-" drop, "sleep"
	helo      string
	ext       []string // EHLO extensions (nil = standard)
	mail      string   // "{arg}" = sender; "-" drop, "sleep"
	rcptAll   string
	rcptDrop  bool
	rcptSleep bool
	data      string // "-" drop, "sleep", or a reply
	eod       string // "-" drop, "sleep", or a reply
	dropData  bool   // drop after 3 body lines
	stallBody bool
	lmtp      bool
	starttls  string // "srv", "454", "drop"
	auth      string // "ok", "fail"
	fullBody  bool   // record every body line
	eodDelay  time.Duration
	rset      string // reply to RSET instead of 250
	logCipher bool   // record the TLS 1.0-1.2 cipher suite
	onMail    func() // called when MAIL FROM arrives
}

var stdExt = []string{"stub.example.net", "PIPELINING", "SIZE 10240000", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"}

// stub is the in-test SMTP/LMTP server: one listener per mode, every
// session recorded as "C: line" / "S: line" / "-- event" lines.
type stub struct {
	t        *testing.T
	cert     *tls.Certificate
	mu       sync.Mutex
	sessions map[string][][]string // port name -> transcripts
	ls       []net.Listener
	wg       sync.WaitGroup
	sleep    time.Duration
	// tlsConfig is shared by all sessions, so that a session ticket
	// of one can resume another.
	tlsConfig *tls.Config
}

func newStub(t *testing.T, cert *tls.Certificate, sleep time.Duration) *stub {
	s := &stub{t: t, cert: cert, sessions: map[string][][]string{}, sleep: sleep}
	if cert != nil {
		s.tlsConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	t.Cleanup(s.close)
	return s
}

// listen serves a mode on a TCP address or a UNIX socket path.
func (s *stub) listen(network, addr, name string, m mode) {
	l, err := net.Listen(network, addr)
	if err != nil {
		s.t.Fatal(err)
	}
	if network == "unix" {
		os.Chmod(addr, 0777)
	}
	s.ls = append(s.ls, l)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(60 * time.Second))
				tr := (&conn{c: c, r: bufio.NewReader(c), m: m, stub: s}).run()
				s.mu.Lock()
				s.sessions[name] = append(s.sessions[name], tr)
				s.mu.Unlock()
			}()
		}
	}()
}

func (s *stub) close() {
	for _, l := range s.ls {
		l.Close()
	}
	s.wg.Wait()
}

// transcripts returns the recorded sessions of a port.
func (s *stub) transcripts(name string) [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]string(nil), s.sessions[name]...)
}

type conn struct {
	c    net.Conn
	r    *bufio.Reader
	m    mode
	stub *stub
	tr   []string
	n    int
}

func (c *conn) send(line string) {
	c.tr = append(c.tr, "S: "+line)
	c.c.Write([]byte(line + "\r\n"))
}

func (c *conn) multi(code int, lines []string) {
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		c.send(fmt.Sprintf("%d%s%s", code, sep, l))
	}
}

func (c *conn) readLine() (string, bool) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return "", false
	}
	return strings.TrimRight(line, "\r\n"), true
}

func (c *conn) event(e string) { c.tr = append(c.tr, "-- "+e) }

func (c *conn) pause() { time.Sleep(c.stub.sleep) }

// stall plays the two reply modes that end a session: "-" drops the
// connection (noting drop in the transcript when it is not empty) and
// "sleep" stays silent for the stub's pause first. Any other mode is
// for the caller to answer.
func (c *conn) stall(mode, drop string) (end bool) {
	switch mode {
	case "-":
		if drop != "" {
			c.event(drop)
		}
		return true
	case "sleep":
		c.pause()
		return true
	}
	return false
}

// run plays one session and returns its transcript.
func (c *conn) run() []string {
	m := c.m
	if c.stall(m.greet, "drop before greeting") {
		return c.tr
	}
	switch m.greet {
	case "":
		c.send("220 stub.example.net ESMTP stub")
	default:
		c.send(m.greet)
	}
	var rcpts []string
	tlsDone := false
	for {
		line, ok := c.readLine()
		if !ok {
			c.event("client closed")
			return c.tr
		}
		c.tr = append(c.tr, "C: "+line)
		cmd, arg, _ := strings.Cut(line, " ")
		cmd = strings.ToUpper(cmd)
		switch cmd {
		case "EHLO", "LHLO":
			if c.stall(m.ehlo, "") {
				return c.tr
			}
			switch m.ehlo {
			case "":
			default:
				c.send(m.ehlo)
				if strings.HasPrefix(m.ehlo, "421") {
					return c.tr
				}
				continue
			}
			ext := m.ext
			if ext == nil {
				ext = stdExt
			}
			ext = append([]string(nil), ext...)
			if m.starttls != "" && !tlsDone {
				ext = append(ext, "STARTTLS")
			}
			if m.auth != "" {
				ext = append(ext, "AUTH PLAIN LOGIN CRAM-MD5")
			}
			c.multi(250, ext)
		case "HELO":
			if m.helo != "" {
				c.send(m.helo)
			} else {
				c.send("250 stub.example.net")
			}
		case "STARTTLS":
			switch m.starttls {
			case "454":
				c.send("454 4.7.0 TLS not available due to local problem")
				continue
			case "drop":
				c.send("220 2.0.0 Ready to start TLS")
				return c.tr
			}
			c.send("220 2.0.0 Ready to start TLS")
			tc := tls.Server(c.c, c.stub.tlsConfig)
			if err := tc.Handshake(); err != nil {
				c.event("TLS handshake failed")
				return c.tr
			}
			cs := tc.ConnectionState()
			if cs.DidResume {
				c.event("TLS resumed")
			} else {
				c.event("TLS")
			}
			if m.logCipher && cs.Version < tls.VersionTLS13 {
				c.event(tls.VersionName(cs.Version) + " " + tls.CipherSuiteName(cs.CipherSuite))
			}
			c.c, c.r, tlsDone = tc, bufio.NewReader(tc), true
		case "AUTH":
			parts := strings.Fields(arg)
			c.event("AUTH " + strings.ToUpper(parts[0]))
			switch {
			case strings.EqualFold(parts[0], "PLAIN") && len(parts) > 1:
				dec, _ := base64.StdEncoding.DecodeString(parts[1])
				c.event(fmt.Sprintf("decoded %q", dec))
			case strings.EqualFold(parts[0], "LOGIN"):
				c.send("334 VXNlcm5hbWU6")
				r, _ := c.readLine()
				c.tr = append(c.tr, "C: "+r)
				c.send("334 UGFzc3dvcmQ6")
				r, _ = c.readLine()
				c.tr = append(c.tr, "C: "+r)
			}
			if m.auth == "ok" {
				c.send("235 2.7.0 Authentication successful")
			} else {
				c.send("535 5.7.8 Error: authentication failed: authentication failure")
			}
		case "MAIL":
			if m.onMail != nil {
				m.onMail()
			}
			if c.stall(m.mail, "drop at MAIL") {
				return c.tr
			}
			switch m.mail {
			case "":
				c.send("250 2.1.0 Ok")
			default:
				from := strings.TrimPrefix(strings.SplitN(arg, ">", 2)[0], "FROM:<")
				c.send(strings.ReplaceAll(m.mail, "{arg}", from))
			}
			rcpts = nil
		case "RCPT":
			addr := strings.TrimPrefix(strings.SplitN(arg, ">", 2)[0], "TO:<")
			local, _, _ := strings.Cut(addr, "@")
			switch {
			case m.rcptSleep:
				c.pause()
				return c.tr
			case m.rcptDrop:
				return c.tr
			case m.rcptAll != "":
				c.send(strings.ReplaceAll(m.rcptAll, "{arg}", addr))
			case strings.HasPrefix(local, "bad"):
				c.multi(550, []string{"5.1.1 <" + addr + ">: Recipient address rejected:", "5.1.1 User unknown in local recipient table"})
			case strings.HasPrefix(local, "tmp"):
				c.send("450 4.2.0 <" + addr + ">: Recipient address rejected: Greylisted")
			default:
				c.send("250 2.1.5 Ok")
				rcpts = append(rcpts, addr)
			}
		case "DATA":
			if c.stall(m.data, "") {
				return c.tr
			}
			switch m.data {
			case "":
			default:
				c.send(m.data)
				continue
			}
			c.send("354 End data with <CR><LF>.<CR><LF>")
			if m.stallBody {
				c.pause()
				return c.tr
			}
			n := 0
			for {
				l, ok := c.readLine()
				if !ok {
					c.event("client closed in DATA")
					return c.tr
				}
				if l == "." {
					break
				}
				if m.fullBody || strings.HasPrefix(l, "Content-Transfer-Encoding") || strings.Contains(l, "=C3") || strings.HasPrefix(l, "..") {
					c.tr = append(c.tr, "B: "+l)
				}
				n++
				if m.dropData && n == 3 {
					c.event("drop during data")
					return c.tr
				}
			}
			c.tr = append(c.tr, fmt.Sprintf("C: . (%d lines)", n))
			if m.lmtp {
				for _, r := range rcpts {
					lp, _, _ := strings.Cut(r, "@")
					switch {
					case strings.HasPrefix(lp, "lbad"):
						c.send("550 5.2.1 <" + r + ">: mailbox unavailable")
					case strings.HasPrefix(lp, "lfull"):
						c.send("452 4.2.2 <" + r + ">: Mailbox full")
					default:
						c.send("250 2.0.0 <" + r + "> STUB Saved")
					}
				}
				continue
			}
			time.Sleep(m.eodDelay)
			if c.stall(m.eod, "drop after eod") {
				return c.tr
			}
			switch m.eod {
			case "":
				c.send("250 2.0.0 Ok: queued as STUB")
			default:
				c.send(m.eod)
				if strings.HasPrefix(m.eod, "421") {
					return c.tr
				}
			}
		case "RSET":
			if m.rset != "" {
				c.send(m.rset)
				continue
			}
			c.send("250 2.0.0 Ok")
			rcpts = nil
		case "NOOP", "XFORWARD":
			c.send("250 2.0.0 Ok")
			rcpts = nil
		case "QUIT":
			c.send("221 2.0.0 Bye")
			return c.tr
		default:
			c.send("502 5.5.2 Error: command not recognized")
		}
	}
}

package sasl

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Mechanism is one MECH line: a name and its security flags.
type Mechanism struct {
	Name  string
	Flags []string // "plaintext", "anonymous", "dictionary", "active", "forward-secrecy", "mutual-auth"
}

// Server is a connection to the Dovecot auth service, shared by the
// sessions of one process (one request at a time).
type Server struct {
	dial    func() (net.Conn, error)
	timeout time.Duration

	mu    sync.Mutex
	conn  net.Conn
	r     *bufio.Reader
	mechs []Mechanism
	next  int
}

// NewServer prepares a client of the auth socket at path: "inet:host:port",
// "unix:path" or a path (relative ones under queueDir, as
// smtpd_sasl_path = private/auth).
func NewServer(path, queueDir string, timeout time.Duration) *Server {
	network, addr := "unix", path
	if t, rest, ok := strings.Cut(path, ":"); ok && (t == "inet" || t == "unix") {
		network, addr = t, rest
	}
	if network == "inet" {
		network = "tcp"
	} else if !strings.HasPrefix(addr, "/") {
		addr = queueDir + "/" + addr
	}
	return &Server{timeout: timeout, dial: func() (net.Conn, error) {
		return net.DialTimeout(network, addr, timeout)
	}}
}

// ErrTemp is a temporary failure of the auth service.
var ErrTemp = errors.New("temporary authentication failure")

// connect performs the handshake if there is no connection.
func (s *Server) connect() error {
	if s.conn != nil {
		return nil
	}
	c, err := s.dial()
	if err != nil {
		return err
	}
	c.SetDeadline(time.Now().Add(s.timeout))
	if _, err := fmt.Fprintf(c, "VERSION\t1\t1\nCPID\t%d\n", os.Getpid()); err != nil {
		c.Close()
		return err
	}
	r := bufio.NewReader(c)
	var mechs []Mechanism
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			c.Close()
			return err
		}
		f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		switch f[0] {
		case "VERSION":
			if len(f) < 2 || f[1] != "1" {
				c.Close()
				return fmt.Errorf("authentication server protocol version %s", strings.Join(f[1:], "."))
			}
		case "MECH":
			if len(f) >= 2 {
				mechs = append(mechs, Mechanism{Name: strings.ToUpper(f[1]), Flags: f[2:]})
			}
		case "DONE":
			s.conn, s.r, s.mechs = c, r, mechs
			return nil
		}
	}
}

// drop forgets a broken connection.
func (s *Server) drop() {
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
}

// Mechanisms returns the names allowed by the security options.
func (s *Server) Mechanisms(options []string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.connect(); err != nil {
		return nil, err
	}
	var out []string
	for _, m := range s.mechs {
		if allowed(m, options) {
			out = append(out, m.Name)
		}
	}
	return out, nil
}

// allowed applies smtpd_sasl_security_options to a mechanism.
func allowed(m Mechanism, options []string) bool {
	has := func(flag string) bool {
		for _, f := range m.Flags {
			if f == flag {
				return true
			}
		}
		return false
	}
	for _, o := range options {
		switch strings.ToLower(o) {
		case "noanonymous":
			if has("anonymous") {
				return false
			}
		case "noplaintext":
			if has("plaintext") {
				return false
			}
		case "nodictionary":
			if has("dictionary") {
				return false
			}
		case "noactive":
			if has("active") {
				return false
			}
		case "forward_secrecy":
			if !has("forward-secrecy") {
				return false
			}
		case "mutual_auth":
			if !has("mutual-auth") {
				return false
			}
		}
	}
	return true
}

// Request describes the SMTP side of one authentication.
type Request struct {
	Mechanism string
	Initial   string // base64 initial response; "" for none, "=" for empty
	Service   string // "smtp"
	LocalIP   string
	RemoteIP  string
	Secured   bool // the session is encrypted
	// Challenge sends a base64 challenge to the client (the SMTP 334
	// reply) and returns its base64 answer; ok is false when the client
	// aborted with "*".
	Challenge func(challenge string) (answer string, ok bool)
}

// Result is the outcome of Authenticate.
type Result struct {
	OK       bool
	Username string
	Reason   string // from FAIL reason=, "" when none
	// Temp is a temporary failure, which smtpd answers with 454
	// (libsasl2's SASL_FAIL and kin). Postfix 3.7.11's Dovecot client
	// treats every FAIL alike, "temp" or not, so Server never sets it.
	Temp    bool
	Aborted bool // the client sent "*"
}

// Authenticate runs one AUTH exchange.
func (s *Server) Authenticate(req Request) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.connect(); err != nil {
		return Result{}, err
	}
	s.next++
	id := strconv.Itoa(s.next)
	var b strings.Builder
	fmt.Fprintf(&b, "AUTH\t%s\t%s\tservice=%s\tnologin\tlip=%s\trip=%s", id, req.Mechanism, req.Service, req.LocalIP, req.RemoteIP)
	if req.Secured {
		b.WriteString("\tsecured")
	}
	if req.Initial != "" {
		resp := req.Initial
		if resp == "=" {
			resp = ""
		}
		fmt.Fprintf(&b, "\tresp=%s", resp)
	}
	b.WriteString("\n")
	s.conn.SetDeadline(time.Now().Add(s.timeout))
	if _, err := s.conn.Write([]byte(b.String())); err != nil {
		s.drop()
		return Result{}, err
	}
	for {
		s.conn.SetDeadline(time.Now().Add(s.timeout))
		line, err := s.r.ReadString('\n')
		if err != nil {
			s.drop()
			return Result{}, err
		}
		f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		if len(f) < 2 || f[1] != id {
			continue
		}
		switch f[0] {
		case "OK":
			res := Result{OK: true}
			for _, kv := range f[2:] {
				if v, ok := strings.CutPrefix(kv, "user="); ok {
					res.Username = v
				}
			}
			return res, nil
		case "CONT":
			challenge := ""
			if len(f) > 2 {
				challenge = f[2]
			}
			answer, ok := req.Challenge(challenge)
			if !ok {
				// Abandon this request: the server forgets it with the
				// next one.
				return Result{Aborted: true}, nil
			}
			s.conn.SetDeadline(time.Now().Add(s.timeout))
			if _, err := fmt.Fprintf(s.conn, "CONT\t%s\t%s\n", id, answer); err != nil {
				s.drop()
				return Result{}, err
			}
		case "FAIL":
			res := Result{}
			for _, kv := range f[2:] {
				switch {
				case strings.HasPrefix(kv, "reason="):
					res.Reason = kv[len("reason="):]
				case strings.HasPrefix(kv, "user="):
					res.Username = kv[len("user="):]
				}
			}
			return res, nil
		}
	}
}

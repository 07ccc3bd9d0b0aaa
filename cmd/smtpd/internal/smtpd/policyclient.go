package smtpd

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"gopostfix/libglobal/util/syserr"
)

// PolicyClients keeps one connection per policy server endpoint for the
// life of the process, as Postfix's attr_clnt/auto_clnt do: a connection
// is reused by later requests and sessions, and closed after
// smtpd_policy_service_max_idle without a request, after
// smtpd_policy_service_max_ttl since it was made, or after
// smtpd_policy_service_request_limit requests. Deps share one.
type PolicyClients struct {
	mu    sync.Mutex
	conns map[string]*policyConn
}

type policyConn struct {
	c        net.Conn
	r        *bufio.Reader
	opened   time.Time
	lastUsed time.Time
	requests int
}

func (pc *policyConn) close() { pc.c.Close() }

// access returns the open connection to endpoint, or makes one.
func (ss *Session) policyAccess(endpoint string) (*policyConn, error) {
	p := ss.deps.Policy
	now := ss.deps.Now()
	if pc := p.conns[endpoint]; pc != nil {
		if now.Sub(pc.lastUsed) < ss.cfg.PolicyMaxIdle && now.Sub(pc.opened) < ss.cfg.PolicyMaxTTL {
			return pc, nil
		}
		pc.close()
		delete(p.conns, endpoint)
	}
	c, err := ss.deps.DialPolicy(endpoint, ss.cfg.PolicyTimeout)
	if err != nil {
		ss.log.Warnf("connect to %s: %s", policyEndpointName(endpoint), syserr.Text(err))
		return nil, err
	}
	pc := &policyConn{c: c, r: bufio.NewReader(c), opened: now, lastUsed: now}
	if p.conns == nil {
		p.conns = map[string]*policyConn{}
	}
	p.conns[endpoint] = pc
	return pc, nil
}

// policyRecover drops the connection to endpoint (auto_clnt_recover).
func (ss *Session) policyRecover(endpoint string) {
	if pc := ss.deps.Policy.conns[endpoint]; pc != nil {
		pc.close()
		delete(ss.deps.Policy.conns, endpoint)
	}
}

// policyEndpointName is the endpoint as Postfix names it in warnings:
// without the "inet:" or "unix:" transport.
func policyEndpointName(endpoint string) string {
	if t, rest, ok := strings.Cut(endpoint, ":"); ok && (t == "inet" || t == "unix") {
		return rest
	}
	return endpoint
}

// askPolicy is attr_clnt_request: send the request on the kept
// connection (a new one when there is none or the server closed it),
// retry after smtpd_policy_service_retry_delay up to
// smtpd_policy_service_try_limit attempts, and warn as Postfix does.
func (ss *Session) askPolicy(endpoint, request string) (string, bool) {
	ss.deps.Policy.mu.Lock()
	defer ss.deps.Policy.mu.Unlock()
	for count := 0; ; {
		pc, err := ss.policyAccess(endpoint)
		if err == nil {
			if policyReadable(pc) {
				err = nil // the server hung up while idle: no errno, as in Postfix
			} else {
				var action string
				var ok bool
				action, ok, err = ss.policyExchange(pc, endpoint, request)
				if ok {
					pc.lastUsed = ss.deps.Now()
					if pc.requests++; ss.cfg.PolicyReqLimit > 0 && pc.requests >= ss.cfg.PolicyReqLimit {
						ss.policyRecover(endpoint)
					}
					return action, true
				}
			}
		}
		count++
		if count >= ss.cfg.PolicyTryLimit || (err != nil && !quietPolicyError(err)) {
			ss.log.Warnf("problem talking to server %s: %s", policyEndpointName(endpoint), policyErrText(err))
		}
		if count >= ss.cfg.PolicyTryLimit {
			ss.policyRecover(endpoint)
			return "", false
		}
		ss.deps.Sleep(ss.cfg.PolicyRetryDelay)
		ss.policyRecover(endpoint)
	}
}

// policyExchange writes one request and reads the reply attributes up to
// the empty line. ok is false with err nil when the reply lacks the
// action attribute.
func (ss *Session) policyExchange(pc *policyConn, endpoint, request string) (string, bool, error) {
	_ = pc.c.SetDeadline(ss.deps.Now().Add(ss.cfg.PolicyTimeout))
	if _, err := io.WriteString(pc.c, request); err != nil {
		return "", false, err
	}
	action, got := "", false
	for {
		line, err := pc.r.ReadString('\n')
		if err != nil {
			if err == io.EOF {
				err = nil // end of input: errno 0
			}
			return "", false, policyIOError{err}
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			break
		}
		if name, value, ok := strings.Cut(line, "="); ok && name == "action" {
			action, got = value, true
		}
	}
	if !got {
		ss.log.Warnf("missing attribute action in input from %s", policyEndpointName(endpoint))
		return "", false, nil
	}
	return action, true, nil
}

// policyIOError marks a read failure; a nil inner error is the end of
// input.
type policyIOError struct{ err error }

func (e policyIOError) Error() string {
	if e.err == nil {
		return "EOF"
	}
	return e.err.Error()
}
func (e policyIOError) Unwrap() error { return e.err }

// policyReadable reports whether the server sent something or closed
// the connection before the request (Postfix's readable() test).
func policyReadable(pc *policyConn) bool {
	if pc.r.Buffered() > 0 {
		return true
	}
	_ = pc.c.SetReadDeadline(time.Now())
	_, err := pc.r.Peek(1)
	_ = pc.c.SetReadDeadline(time.Time{})
	var ne net.Error
	return err == nil || !(errors.As(err, &ne) && ne.Timeout())
}

// quietPolicyError is what attr_clnt does not warn about before the
// last attempt: EPIPE, ENOENT, ECONNRESET, or no error at all.
func quietPolicyError(err error) bool {
	var ie policyIOError
	if errors.As(err, &ie) && ie.err == nil {
		return true
	}
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNRESET)
}

// policyErrText is the %m of the warning: the errno text, "Connection
// timed out" for a timeout, and Postfix's "Application error" for
// errno 0 (no error, or the end of input).
func policyErrText(err error) string {
	var ie policyIOError
	switch {
	case err == nil, errors.As(err, &ie) && ie.err == nil:
		return syserr.Of(nil)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return syserr.Errno(syscall.ETIMEDOUT)
	}
	return syserr.Of(err)
}

package attr

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"syscall"
	"time"

	"gopostfix/libglobal/util/msg"
)

// Client is a persistent, self-reconnecting client of one service, as
// Postfix's attr_clnt on top of auto_clnt: it connects on demand, checks
// the server's announcement on each new connection, drops the connection
// after MaxIdle without requests or MaxTTL after it was made, and retries
// a failed request once on a fresh connection.
type Client struct {
	Path     string        // socket path
	Name     string        // stream name in messages ("private/rewrite")
	Proto    string        // expected announcement; "" when the server sends none
	Format   Format        //
	Timeout  time.Duration // per read/write (ipc_timeout)
	MaxIdle  time.Duration // ipc_idle; zero keeps idle connections
	MaxTTL   time.Duration // ipc_ttl; zero keeps old connections
	TryLimit int           // attempts per request (default 2)
	TryDelay time.Duration // pause between attempts (default 1s)
	ReqLimit int           // requests per connection; zero means no limit
	Log      *msg.Logger   // for "problem talking to server" warnings
	// Dialer, when set, makes the connections instead of Dial (for
	// example over blocking sockets outside the Go poller).
	Dialer func(path string, f Format, timeout time.Duration) (*Conn, error)

	mu      sync.Mutex
	conn    *Conn
	born    time.Time
	idle    *time.Timer
	idleDue time.Time // when the idle connection is to be dropped
	reqs    int
	sleeper func(time.Duration)
}

// NewClient returns a client for the socket at path with Postfix's default
// limits (ipc_timeout 3600s, ipc_idle 5s, ipc_ttl 1000s, 2 tries 1s apart).
func NewClient(path, name, proto string, f Format, log *msg.Logger) *Client {
	return &Client{Path: path, Name: name, Proto: proto, Format: f,
		Timeout: DefaultTimeout, MaxIdle: 5 * time.Second, MaxTTL: 1000 * time.Second,
		TryLimit: 2, TryDelay: time.Second, Log: log}
}

// Request sends one record and scans the reply into targets. A reply
// that fills no target counts as a failure, as in attr_clnt_request.
func (cl *Client) Request(send []Attr, flags Flags, targets ...Recv) (int, error) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	tries := cl.TryLimit
	if tries == 0 {
		tries = 2
	}
	for count := 1; ; count++ {
		n, err := cl.attempt(send, flags, targets)
		if err == nil && n > 0 {
			cl.reqs++
			if cl.ReqLimit > 0 && cl.reqs >= cl.ReqLimit {
				cl.drop()
			}
			cl.armIdle()
			return n, nil
		}
		if err == nil {
			err = fmt.Errorf("empty reply")
		}
		if count >= tries || !quietError(err) {
			cl.Log.Warnf("problem talking to server %s: %v", cl.name(), err)
		}
		if count >= tries {
			cl.drop()
			return -1, err
		}
		if cl.sleeper != nil {
			cl.sleeper(cl.delay())
		} else {
			time.Sleep(cl.delay())
		}
		cl.drop()
	}
}

func (cl *Client) delay() time.Duration {
	if cl.TryDelay == 0 {
		return time.Second
	}
	return cl.TryDelay
}

func (cl *Client) name() string {
	if cl.Name != "" {
		return cl.Name
	}
	return cl.Path
}

// quietError is true for the errors attr_clnt does not warn about before
// its last try: a server that went away.
func quietError(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ENOENT) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, ErrIO)
}

func (cl *Client) attempt(send []Attr, flags Flags, targets []Recv) (int, error) {
	c, err := cl.access()
	if err != nil {
		return -1, err
	}
	if err := c.Print(send...); err != nil {
		return -1, err
	}
	return c.Scan(flags, targets...)
}

// access returns a usable connection: the current one unless it is too
// old or the server closed it (it is readable before a request was sent).
func (cl *Client) access() (*Conn, error) {
	if cl.conn != nil && cl.MaxTTL > 0 && time.Since(cl.born) >= cl.MaxTTL {
		cl.drop()
	}
	if cl.conn != nil && cl.conn.Readable() {
		cl.drop()
	}
	if cl.conn != nil {
		return cl.conn, nil
	}
	dial := cl.Dialer
	if dial == nil {
		dial = Dial
	}
	c, err := dial(cl.Path, cl.Format, cl.Timeout)
	if err != nil {
		return nil, err
	}
	c.R.name = cl.name()
	if cl.Proto != "" {
		if err := c.ReadAnnouncement(cl.Proto); err != nil {
			c.Close()
			return nil, err
		}
	}
	cl.conn, cl.born, cl.reqs = c, time.Now(), 0
	return c, nil
}

// armIdle (re)starts the idle limit of the connection. The timer is
// set once and, when it fires early because requests came in the
// meantime, set again for the time left: restarting a Go timer on every
// request wakes the runtime's poller each time.
func (cl *Client) armIdle() {
	if cl.MaxIdle <= 0 || cl.conn == nil {
		return
	}
	cl.idleDue = time.Now().Add(cl.MaxIdle)
	if cl.idle == nil {
		cl.idle = time.AfterFunc(cl.MaxIdle, cl.idleCheck)
	}
}

// idleCheck drops the connection once it has been idle for MaxIdle.
func (cl *Client) idleCheck() {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if cl.conn == nil {
		cl.idle = nil
		return
	}
	if left := time.Until(cl.idleDue); left > 0 {
		cl.idle.Reset(left)
		return
	}
	cl.idle = nil
	cl.drop()
}

func (cl *Client) drop() {
	if cl.conn != nil {
		cl.conn.Close()
		cl.conn = nil
	}
}

// Use runs fn with the client's connection, made and checked on demand
// as for Request, for exchanges that are more than one record each way
// (descriptor passing). The client stays locked while fn runs; an error
// from fn drops the connection, success restarts the idle timer. Use
// makes a single attempt; the caller decides about retries.
func (cl *Client) Use(fn func(c *Conn) error) error {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	c, err := cl.access()
	if err != nil {
		return err
	}
	if err := fn(c); err != nil {
		cl.drop()
		return err
	}
	cl.armIdle()
	return nil
}

// Close drops the connection.
func (cl *Client) Close() {
	cl.mu.Lock()
	if cl.idle != nil {
		cl.idle.Stop()
		cl.idle = nil
	}
	cl.drop()
	cl.mu.Unlock()
}

// Call is the one-shot exchange of mail_command_client: connect to path,
// check the announcement proto (unless empty), send one record, scan one
// reply, close.
func Call(path, proto string, f Format, timeout time.Duration, send []Attr, flags Flags, targets ...Recv) (int, error) {
	c, err := Dial(path, f, timeout)
	if err != nil {
		return -1, err
	}
	defer c.Close()
	if proto != "" {
		if err := c.ReadAnnouncement(proto); err != nil {
			return -1, err
		}
	}
	if err := c.Print(send...); err != nil {
		return -1, err
	}
	return c.Scan(flags, targets...)
}

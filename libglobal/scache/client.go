package scache

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

// Request names, attribute names and status values of the scache
// protocol (scache.h, mail_proto.h).
const (
	ReqSaveEndp = "save_endp"
	ReqFindEndp = "find_endp"
	ReqSaveDest = "save_dest"
	ReqFindDest = "find_dest"

	AttrRequest = "request"
	AttrTTL     = "ttl"
	AttrLabel   = "label"
	AttrProp    = "property"
	AttrStatus  = "status"

	StatOK   = 0 // found, or saved
	StatBad  = 1 // malformed request
	StatFail = 2 // not found, or the descriptor did not arrive
)

// maxTries is SCACHE_MAX_TRIES.
const maxTries = 2

// ErrNotFound says the cache has no connection under the label.
var ErrNotFound = errors.New("not found")

// errDisabled is returned once the client gave up on the service.
var errDisabled = errors.New("connection caching disabled")

// Client talks to one scache service. It is safe for concurrent use.
// Fields may be changed before the first request.
type Client struct {
	QueueDir string        // "" or "." when the process runs in the queue directory
	Service  string        // connection_cache_service_name
	Timeout  time.Duration // connection_cache_protocol_timeout, per read and write
	MaxIdle  time.Duration // ipc_idle (default 5s), checked by Idle
	MaxTTL   time.Duration // ipc_ttl (default 1000s), checked by Idle
	TryDelay time.Duration // pause before the second try (default 1s)
	Log      *msg.Logger

	mu       sync.Mutex
	conn     *attr.Conn
	born     time.Time // when conn was made
	used     time.Time // when conn was last used
	disabled bool
}

// New makes a client for private/service.
func New(service string, timeout time.Duration, log *msg.Logger) *Client {
	return &Client{QueueDir: ".", Service: service, Timeout: timeout,
		MaxIdle: 5 * time.Second, MaxTTL: 1000 * time.Second, TryDelay: time.Second, Log: log}
}

func (c *Client) name() string { return "private/" + c.Service }

// Close drops the connection to the service.
func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.drop()
}

// try runs one exchange with the retry and give-up rules of
// scache_clnt.c. saveEndp selects save_endp's rule for warnings about
// a failed exchange.
func (c *Client) try(fn func(conn *attr.Conn) error, saveEndp bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	count := 0 // exchanges begun on a connection that was announced
	for tries := 0; !c.disabled; tries++ {
		conn, err := c.access()
		talked := err == nil
		if talked {
			count++
			err = fn(conn)
			c.used = time.Now()
			if err == nil || errors.Is(err, ErrNotFound) {
				return err
			}
		}
		c.warn(err, talked, saveEndp, count)
		if tries >= maxTries-1 {
			c.Log.Warnf("disabling connection caching")
			c.drop()
			c.disabled = true
			break
		}
		time.Sleep(c.TryDelay)
		c.drop()
	}
	return errDisabled
}

// warn logs a failed attempt as scache_clnt and auto_clnt do. A failed
// connect is always logged; a connection without the server's
// announcement only gets attr_scan's own complaint. A failed exchange
// logs attr_scan's complaint, then "problem talking" unless the errno
// says the server went away (EPIPE, ENOENT); save_endp also keeps quiet
// without an errno, except on its second exchange.
func (c *Client) warn(err error, talked, saveEndp bool, count int) {
	var ce *connectError
	if errors.As(err, &ce) {
		c.Log.Warnf("connect to %s: %s", c.name(), queue.Strerror(ce.err))
		return
	}
	var ae *attr.Error
	var mid *midRecordError
	if errors.As(err, &ae) && (errors.As(err, &mid) || !errors.Is(ae, attr.ErrIO) && !errors.Is(ae, attr.ErrTimeout)) {
		c.Log.Warnf("%s", ae.Text)
	}
	if !talked {
		return
	}
	errno := errnoOf(err)
	show := errno != syscall.EPIPE && errno != syscall.ENOENT
	if saveEndp {
		show = count > 1 || (errno != 0 && show)
	}
	if show || c.Log.Verbose > 0 {
		c.Log.Warnf("problem talking to service %s: %s", c.name(), errnoText(errno))
	}
}

// midRecordError is a reply that broke off after it began. attr_scan
// complains about that, while a reply that does not come at all (end
// of input or time limit) is left to the caller to report.
type midRecordError struct{ err error }

func (e *midRecordError) Error() string { return e.err.Error() }
func (e *midRecordError) Unwrap() error { return e.err }

// errnoOf is the errno a failed exchange leaves behind: the system
// call's, ETIMEDOUT after a time limit (as vstream sets it), or none.
func errnoOf(err error) syscall.Errno {
	var errno syscall.Errno
	switch {
	case errors.As(err, &errno):
		return errno
	case errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, attr.ErrTimeout):
		return syscall.ETIMEDOUT
	}
	return 0
}

// errnoText is %m: Postfix prints "Application error" when no errno
// is set.
func errnoText(errno syscall.Errno) string {
	if errno == 0 {
		return "Application error"
	}
	return queue.Strerror(errno)
}

// seconds is a time to live on the wire; it must be positive.
func seconds(ttl time.Duration, what string) int {
	n := int(ttl / time.Second)
	if n <= 0 {
		panic(fmt.Sprintf("scache_clnt_save_%s: bad %s_ttl: %d", what, what, n))
	}
	return n
}

// SaveEndp stores a connection under an endpoint label for ttl (whole
// seconds); f is closed here in any case.
func (c *Client) SaveEndp(ttl time.Duration, label, prop string, f *os.File) error {
	defer f.Close()
	secs := seconds(ttl, "endp")
	return c.try(func(conn *attr.Conn) error {
		if err := conn.Print(attr.Str(AttrRequest, ReqSaveEndp), attr.Int(AttrTTL, secs),
			attr.Str(AttrLabel, label), attr.Str(AttrProp, prop)); err != nil {
			return err
		}
		if err := conn.SendFd(int(f.Fd())); err != nil {
			return err
		}
		var status int
		return scanReply(conn, attr.RecvInt(AttrStatus, &status))
	}, true)
}

// SaveDest binds a destination label, with its properties, to an
// endpoint label for ttl.
func (c *Client) SaveDest(ttl time.Duration, label, prop, endpLabel string) error {
	secs := seconds(ttl, "dest")
	return c.try(func(conn *attr.Conn) error {
		if err := conn.Print(attr.Str(AttrRequest, ReqSaveDest), attr.Int(AttrTTL, secs),
			attr.Str(AttrLabel, label), attr.Str(AttrProp, prop), attr.Str(AttrLabel, endpLabel)); err != nil {
			return err
		}
		var status int
		return scanReply(conn, attr.RecvInt(AttrStatus, &status))
	}, false)
}

// FindEndp takes a connection saved under an endpoint label out of the
// cache.
func (c *Client) FindEndp(label string) (prop string, f *os.File, err error) {
	err = c.try(func(conn *attr.Conn) error {
		if err := conn.Print(attr.Str(AttrRequest, ReqFindEndp), attr.Str(AttrLabel, label)); err != nil {
			return err
		}
		var status int
		if err := scanReply(conn, attr.RecvInt(AttrStatus, &status), attr.RecvStr(AttrProp, &prop)); err != nil {
			return err
		}
		if status != StatOK {
			return ErrNotFound
		}
		f, err = receive(conn)
		return err
	}, false)
	return prop, f, err
}

// FindDest takes a connection of an endpoint bound to a destination
// label out of the cache.
func (c *Client) FindDest(label string) (destProp, endpProp string, f *os.File, err error) {
	err = c.try(func(conn *attr.Conn) error {
		if err := conn.Print(attr.Str(AttrRequest, ReqFindDest), attr.Str(AttrLabel, label)); err != nil {
			return err
		}
		var status int
		if err := scanReply(conn, attr.RecvInt(AttrStatus, &status), attr.RecvStr(AttrProp, &destProp),
			attr.RecvStr(AttrProp, &endpProp)); err != nil {
			return err
		}
		if status != StatOK {
			return ErrNotFound
		}
		f, err = receive(conn)
		return err
	}, false)
	return destProp, endpProp, f, err
}

// receive takes the descriptor and sends the closing dummy record
// (MUST_READ_AFTER_SENDING_FD).
func receive(conn *attr.Conn) (*os.File, error) {
	fd, err := conn.RecvFd()
	if err != nil {
		return nil, err
	}
	conn.WriteDummy()
	return os.NewFile(uintptr(fd), "scache connection"), nil
}

// scanReply reads a reply record that must fill every target.
func scanReply(conn *attr.Conn, targets ...attr.Recv) error {
	n, err := conn.Scan(attr.Strict, targets...)
	if err != nil && n < 0 {
		return &midRecordError{err}
	}
	if err != nil {
		return err
	}
	if n != len(targets) {
		return fmt.Errorf("short reply from %s", "private/scache")
	}
	return nil
}

package verify

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"syscall"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// Request names and attributes (verify_clnt.h, mail_proto.h).
const (
	ReqQuery  = "query"
	ReqUpdate = "update"

	AttrRequest = "request"
	AttrAddress = "address"
	AttrStatus  = "status"
	AttrRcpt    = "recipient_status"
	AttrReason  = "reason"
)

// Request status values (VRFY_STAT_*): the request itself, not the
// address.
const (
	StatOK   = 0
	StatFail = -1
	StatBad  = -2
)

// Address status values (DEL_RCPT_STAT_*).
const (
	RcptOK     = 0
	RcptDefer  = 1
	RcptBounce = 2
	RcptTodo   = 3
)

// Client talks to one verify service.
type Client struct {
	// Service is the service name (address_verify_service_name).
	Service string
	// Tries bounds the attempts per request; 0 means forever, as in
	// Postfix.
	Tries int
	// Pause is the wait between attempts (default one second).
	Pause time.Duration
	log   *msg.Logger
	cl    *attr.Client
}

// NewClient returns a client of queueDir/private/service with Postfix's
// connection limits (ipc_timeout 3600s, ipc_idle 5s, ipc_ttl 1000s);
// set them through Limits when main.cf differs.
func NewClient(queueDir, service string, log *msg.Logger) *Client {
	cl := attr.NewClient(filepath.Join(queueDir, "private", service), "private/"+service,
		attr.ProtoVerify, attr.Format0, msg.Discard())
	cl.TryLimit = 1
	return &Client{Service: service, log: log, cl: cl}
}

// Limits sets ipc_timeout, ipc_idle and ipc_ttl.
func (c *Client) Limits(timeout, idle, ttl time.Duration) {
	c.cl.Timeout, c.cl.MaxIdle, c.cl.MaxTTL = timeout, idle, ttl
}

// Close drops the connection.
func (c *Client) Close() { c.cl.Close() }

// Query asks for the status of addr (verify_clnt_query). It returns the
// request status (StatOK when the answer is valid), the address status
// (Rcpt*) and the reason text. When the attempts run out the request
// status is StatFail.
func (c *Client) Query(addr string) (status, addrStatus int, why string) {
	send := []attr.Attr{attr.Str(AttrRequest, ReqQuery), attr.Str(AttrAddress, addr)}
	status, addrStatus = StatFail, RcptTodo
	ok := c.call(send, 3, true, attr.RecvInt(AttrStatus, &status), attr.RecvInt(AttrRcpt, &addrStatus),
		attr.RecvStr(AttrReason, &why))
	if !ok {
		return StatFail, RcptTodo, ""
	}
	return status, addrStatus, why
}

// Update stores the status of addr (verify_clnt_update) and returns the
// request status.
func (c *Client) Update(addr string, addrStatus int, why string) int {
	send := []attr.Attr{attr.Str(AttrRequest, ReqUpdate), attr.Str(AttrAddress, addr),
		attr.Int(AttrRcpt, addrStatus), attr.Str(AttrReason, why)}
	status := StatFail
	if !c.call(send, 1, false, attr.RecvInt(AttrStatus, &status)) {
		return StatFail
	}
	return status
}

// call sends one request until want attributes come back or the tries
// run out. A missing or vanished server is reported only on repeated
// failures, and only when warnRepeat is set (queries; Postfix's updates
// stay silent about it).
func (c *Client) call(send []attr.Attr, want int, warnRepeat bool, targets ...attr.Recv) bool {
	for count := 1; ; count++ {
		n, err := c.cl.Request(send, attr.Missing, targets...)
		if err == nil && n == want {
			return true
		}
		if err == nil {
			err = fmt.Errorf("%w: %d of %d attributes", attr.ErrMissing, n, want)
		}
		if !quiet(err) || warnRepeat && count > 1 {
			c.log.Warnf("problem talking to service %s: %s", c.Service, errText(err))
		}
		if c.Tries > 0 && count >= c.Tries {
			return false
		}
		pause := c.Pause
		if pause == 0 {
			pause = time.Second
		}
		time.Sleep(pause)
		c.cl.Close()
	}
}

// quiet reports the errors Postfix does not warn about on a first
// attempt: no server (ENOENT) or a server that went away (EPIPE).
func quiet(err error) bool {
	return errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, attr.ErrIO)
}

// errText is the %m part of the warning.
func errText(err error) string {
	var en syscall.Errno
	if errors.As(err, &en) {
		return dict.ErrnoText(en)
	}
	return err.Error()
}

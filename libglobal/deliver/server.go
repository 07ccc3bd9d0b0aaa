package deliver

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

// FatalError is a condition on which Postfix's agents exit with a fatal
// error (so that master backs off and qmgr retries later) instead of
// answering: a queue file that exists but cannot be opened or locked.
type FatalError struct{ Text string }

func (e *FatalError) Error() string { return e.Text }

// errSilent rejects a request whose problem was already logged.
var errSilent = errors.New("request rejected")

// Agent is the delivery agent side of one connection.
type Agent struct {
	Conn   *attr.Conn
	Layout *queue.Layout
	Log    *msg.Logger
	// File is the request's queue file, opened read-write with a shared
	// lock, set by ReadRequest; Done closes it.
	File *os.File
}

// NewAgent wraps a client connection of a delivery agent. timeout is
// ipc_timeout.
func NewAgent(c *attr.Conn, l *queue.Layout, log *msg.Logger) *Agent {
	return &Agent{Conn: c, Layout: l, Log: log}
}

// ReadRequest announces the protocol and reads one request
// (deliver_request_read). It returns nil, nil when qmgr went away
// without sending one. A malformed request is logged, answered with
// StatDefer and reported as nil with a nil error; a *FatalError must end
// the process.
func (a *Agent) ReadRequest() (*Request, error) {
	c := a.Conn
	if err := c.Announce(attr.ProtoDelivery); err != nil {
		a.Log.Debugf("send initial response: %v", err)
		return nil, nil
	}
	// qmgr may change its mind after connecting: wait without a
	// timeout and give up quietly at end of file.
	saved := c.Timeout
	c.Timeout = 0
	err := c.Wait()
	c.Timeout = saved
	if err != nil {
		return nil, nil
	}
	req := &Request{}
	if err := a.get(req); err != nil {
		var fe *FatalError
		if errors.As(err, &fe) {
			return nil, err
		}
		if err != errSilent {
			a.Log.Warnf("%v", err)
		}
		a.Done(req, StatDefer)
		return nil, nil
	}
	return req, nil
}

// get reads the request proper and opens the queue file
// (deliver_request_get).
func (a *Agent) get(req *Request) error {
	const myname = "deliver_request_get"
	var raw []byte
	var count int
	n, err := a.Conn.Scan(attr.Strict, req.commonTargets(&raw, &count)...)
	if err == nil && n == commonAttrCount {
		req.Stats, err = DecodeStats(raw)
		if err != nil {
			a.Log.Warnf("%v", err)
			n = 0
		}
	}
	if n != commonAttrCount {
		if err != nil {
			a.Log.Warnf("%v", err)
		}
		return fmt.Errorf("%s: error receiving common attributes", myname)
	}
	if _, _, ok := a.Layout.OpenOK(a.Log, req.QueueName, req.QueueID); !ok {
		return errSilent // mail_open_ok logged what it had to
	}
	if req.Stats.AgentHandoff.IsZero() {
		req.Stats.AgentHandoff = time.Now()
	}
	for ; count > 0; count-- {
		var r Recipient
		if n, err := a.Conn.Scan(attr.Strict, r.Targets()...); n != 5 {
			if err != nil {
				a.Log.Warnf("%v", err)
			}
			return fmt.Errorf("%s: error receiving recipient attributes", myname)
		}
		req.Rcpts = append(req.Rcpts, r)
	}
	if len(req.Rcpts) == 0 {
		return fmt.Errorf("%s: no recipients in delivery request for destination %s", req.QueueID, req.Nexthop)
	}
	f, err := a.Layout.Open(req.QueueName, req.QueueID, os.O_RDWR, 0)
	if err != nil {
		if !errors.Is(err, syscall.ENOENT) {
			return &FatalError{fmt.Sprintf("open %s %s: %s", req.QueueName, req.QueueID, queue.Strerror(err))}
		}
		return fmt.Errorf("open %s %s: %s", req.QueueName, req.QueueID, queue.Strerror(err))
	}
	if err := queue.LockFile(f, queue.LockShared|queue.LockNoWait); err != nil {
		f.Close()
		return &FatalError{fmt.Sprintf("shared lock %s: %s", a.Layout.Path(req.QueueName, req.QueueID), queue.Strerror(err))}
	}
	a.File = f
	return nil
}

// Done sends the final status (deliver_request_done): the hop status DSN
// (empty when none) and status, then waits for qmgr to close the
// connection, and closes the queue file.
func (a *Agent) Done(req *Request, status int) error {
	var hop dsn.DSN
	if req != nil && req.HopStatus != nil {
		hop = *req.HopStatus
	}
	err := a.Conn.Print(append(hop.Attrs(), attr.Int(AttrStatus, status))...)
	if err != nil {
		a.Log.Debugf("send final status: %v", err)
	}
	// Wait for the receiver to close first (ipc_timeout bounded).
	a.Conn.Wait()
	if a.File != nil {
		a.File.Close()
		a.File = nil
	}
	return err
}

package deliver

import (
	"gopostfix/libglobal/dsn"
	"net"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

// Serve runs the agent side of one qmgr connection: it reads a request,
// lets deliver handle it and sends deliver's status back. A non-nil
// error is a *FatalError (the agent logs it and exits).
func Serve(c net.Conn, l *queue.Layout, log *msg.Logger, timeout time.Duration,
	deliver func(a *Agent, req *Request) (int, error)) error {
	a := NewAgent(attr.NewConn(c, attr.Format0, "delivery request", timeout), l, log)
	req, err := a.ReadRequest()
	if err != nil || req == nil {
		return err
	}
	status, err := deliver(a, req)
	if err != nil {
		return err
	}
	a.Done(req, status)
	return nil
}

// ReportFunc is the signature of the bounce client's per-recipient
// reports (BounceAppend, DeferAppend, Sent).
type ReportFunc func(flags int, id string, st Stats, r Recipient, relay string, d dsn.DSN) int

// ReportEach reports every recipient of req with the same status d and
// relay "none", as the error, retry and discard agents do. Recipients
// whose report returns 0 are marked done when markDone is set. The
// result is the OR of the report results; an error is fatal.
func (a *Agent) ReportEach(req *Request, d dsn.DSN, markDone bool, report ReportFunc) (int, error) {
	flags := TraceFlags(req.Flags)
	result := 0
	for _, r := range req.Rcpts {
		st := report(flags, req.QueueID, req.Stats, r, "none", d)
		if st == 0 && markDone {
			if err := Completed(a.File, r.Offset); err != nil {
				return 0, &FatalError{err.Error()}
			}
		}
		result |= st
	}
	return result, nil
}

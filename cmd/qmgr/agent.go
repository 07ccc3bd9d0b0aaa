package main

import (
	"errors"
	"io"
	"net"
	"path/filepath"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/fdconn"
)

// Outcomes of a delivery attempt (qmgr_deliver.c DELIVER_STAT_*).
const (
	deliverOK    = 0
	deliverDefer = 1
	deliverCrash = 2
)

const suspended = "delivery temporarily suspended: "

// agent is a connection to a delivery agent, watched by the event loop
// until the agent's announcement arrives and again until its reply to
// the request for entry e arrives.
type agent struct {
	t       *transport
	c       *attr.Conn
	fd      int
	e       *entry    // nil until the request is sent
	due     time.Time // when waiting for the agent becomes fatal
	watched bool
}

// allocAgent connects to a delivery agent of transport t
// (qmgr_transport_alloc); the manager continues in deliverTo once the
// agent has announced itself.
func (q *qmgr) allocAgent(t *transport) {
	if t.xportRateDelay > 0 {
		t.rateLock = true
	}
	t.pending++
	// Connect without waiting, as mail_connect(NON_BLOCKING): a full
	// listen queue is a failure to connect.
	ac, err := fdconn.DialUnixNoWait(filepath.Join(q.s.QueueDir, "private", t.name))
	if err != nil {
		q.log.Warnf("connect to transport private/%s: %s", t.name, strerror(err))
		q.afterRateDelay(t, func() {
			t.pending--
			q.deliverTo(t, nil)
		})
		return
	}
	a := &agent{t: t, c: q.agentStream(ac, "private/"+t.name), fd: ac.Fd()}
	// Wait for the agent's greeting, bounded like Postfix's
	// daemon_timeout event.
	q.watchAgent(a)
}

// maxSpareStreams bounds the agent streams kept for reuse.
const maxSpareStreams = 16

// agentStream returns an attribute stream over c, reusing the buffers of
// a closed one when there is one.
func (q *qmgr) agentStream(c net.Conn, name string) *attr.Conn {
	if n := len(q.spareStreams); n > 0 {
		s := q.spareStreams[n-1]
		q.spareStreams = q.spareStreams[:n-1]
		s.Reset(c, name, q.cfg.ipcTimeout)
		return s
	}
	return attr.NewConn(c, attr.Format0, name, q.cfg.ipcTimeout)
}

// afterRateDelay runs fn on the manager goroutine after the transport
// rate delay of t, or as the next event when there is none.
func (q *qmgr) afterRateDelay(t *transport, fn func()) {
	if t.xportRateDelay > 0 {
		q.after(t.xportRateDelay, fn)
	} else {
		q.post(fn)
	}
}

// watchAgent has the event loop report a's input within daemon_timeout.
func (q *qmgr) watchAgent(a *agent) {
	a.due = time.Now().Add(q.cfg.agentTimeout)
	if !a.watched {
		if err := q.ev.watch(a.fd); err != nil {
			q.fatal("watch transport %s: %s", a.t.name, strerror(err))
		}
		a.watched = true
		q.agents[a.fd] = a
	}
	if a.c.R.Buffered() > 0 {
		q.post(func() { q.agentEvent(a) })
	}
}

// unwatchAgent stops watching a.
func (q *qmgr) unwatchAgent(a *agent) {
	if a.watched {
		q.ev.unwatch(a.fd)
		a.watched = false
		delete(q.agents, a.fd)
	}
}

// closeAgent ends the conversation with a.
func (q *qmgr) closeAgent(a *agent) {
	if a.watched {
		// Closing the descriptor takes it out of the epoll set.
		a.watched = false
		delete(q.agents, a.fd)
	}
	// A second Close fails, so a stream is never pooled twice.
	if a.c.Close() == nil && len(q.spareStreams) < maxSpareStreams {
		q.spareStreams = append(q.spareStreams, a.c)
	}
}

// agentEvent handles input from a watched agent: its announcement, or
// the status of the request it was sent.
func (q *qmgr) agentEvent(a *agent) {
	if !a.watched {
		return
	}
	t := a.t
	if a.e == nil {
		if t.xportRateDelay > 0 {
			q.unwatchAgent(a)
			q.after(t.xportRateDelay, func() {
				t.pending--
				q.deliverTo(t, a)
			})
			return
		}
		t.pending--
		q.deliverTo(t, a)
		return
	}
	e := a.e
	a.c.Timeout = q.cfg.agentTimeout
	status, hop := q.finalReply(e.msg.queueID, t.name, a.c)
	q.closeAgent(a)
	q.deliverCount--
	q.deliverUpdate(e, status, hop)
}

// agentTimeouts ends the process when an agent has not answered within
// daemon_timeout, and returns the milliseconds until the next such limit
// (-1: none), for the event loop's wait.
func (q *qmgr) agentTimeouts() int {
	if len(q.agents) == 0 {
		return -1
	}
	now := time.Now()
	var next time.Time
	for _, a := range q.agents {
		if !now.Before(a.due) {
			if a.e == nil {
				q.log.Fatalf("timeout connecting to transport: %s", a.t.name)
			}
			q.fatal("%s: timeout receiving delivery status from transport: %s", a.e.msg.queueID, a.t.name)
		}
		if next.IsZero() || a.due.Before(next) {
			next = a.due
		}
	}
	return int((next.Sub(now) + time.Millisecond - 1) / time.Millisecond)
}

// deliverTo sends the next entry of t to a connected agent
// (qmgr_deliver); a is nil when the connection failed.
func (q *qmgr) deliverTo(t *transport, a *agent) {
	if a == nil || q.initialReply(a.c) != 0 {
		d := dsn.Simple("4.3.0", "mail transport unavailable")
		q.throttleTransport(t, d)
		q.deferTransport(t, d)
		if a != nil {
			q.closeAgent(a)
		}
		return
	}
	e := q.selectEntry(t)
	if e == nil {
		q.closeAgent(a)
		return
	}
	if err := q.sendRequest(e, a.c); err != nil {
		q.log.Warnf("write to process (%s): %s", t.name, strerror(err))
		q.unselectEntry(e)
		d := dsn.Simple("4.3.0", "mail transport unavailable")
		q.throttleTransport(t, d)
		q.deferTransport(t, d)
		q.closeAgent(a)
		return
	}
	q.deliverCount++
	a.e = e
	q.watchAgent(a)
}

// initialReply checks the agent's announcement.
func (q *qmgr) initialReply(c *attr.Conn) int {
	if err := c.Wait(); err != nil {
		q.log.Warnf("%s: premature disconnect", c.R.Name())
		return deliverCrash
	}
	if err := deliver.ReadInitial(c); err != nil {
		q.log.Warnf("%s: malformed response", c.R.Name())
		return deliverDefer
	}
	return 0
}

// finalReply reads the agent's status (qmgr_deliver_final_reply) once
// the event loop saw it arrive.
func (q *qmgr) finalReply(id, transport string, c *attr.Conn) (int, dsn.DSN) {
	if err := c.Wait(); err != nil {
		if !errors.Is(err, io.EOF) && isTimeout(err) {
			q.fatal("%s: timeout receiving delivery status from transport: %s", id, transport)
		}
		q.log.Warnf("%s: premature disconnect", c.R.Name())
		return deliverCrash, dsn.DSN{}
	}
	hop, stat, err := deliver.ReadReply(c)
	if err != nil {
		q.log.Warnf("%s: malformed response", c.R.Name())
		return deliverCrash, dsn.DSN{}
	}
	if stat != 0 {
		return deliverDefer, hop
	}
	return deliverOK, hop
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// sendRequest writes the delivery request for entry e
// (qmgr_deliver_send_request).
func (q *qmgr) sendRequest(e *entry, c *attr.Conn) error {
	m := e.msg
	smtputf8 := m.smtputf8
	for _, r := range e.rcpts {
		if q.cfg.smtputf8 && r.Address != "" && !isASCII(r.Address) && validUTF8(r.Address) {
			smtputf8 |= smtputf8Recipient
			if m.verpDelims != "" {
				smtputf8 |= smtputf8Sender
			}
		}
	}
	sender := m.sender
	if m.verpDelims != "" {
		sender = verpSender(m.verpDelims, m.sender, e.rcpts[0])
	}
	flags := m.tflags | e.queue.dflags
	if m.inspectXport != "" {
		flags |= deliver.FlagBounce
	} else {
		flags |= deliver.FlagDefault
	}
	req := &deliver.Request{Flags: flags, QueueName: m.queueName, QueueID: m.queueID,
		DataOffset: m.dataOffset, DataSize: m.contLength, Nexthop: e.queue.nexthop,
		Encoding: m.encoding, SMTPUTF8: smtputf8, Sender: sender, EnvID: m.envID, Ret: m.ret,
		Stats: m.stats(), ClientName: m.clientName, ClientAddr: m.clientAddr,
		ClientPort: m.clientPort, ClientProto: m.clientProto, ClientHelo: m.clientHelo,
		SASLMethod: m.saslMethod, SASLUsername: m.saslUsername, SASLSender: m.saslSender,
		LogIdent: m.logIdent, RewriteContext: m.rewriteContext, Rcpts: e.rcpts}
	c.Timeout = q.cfg.ipcTimeout
	if err := deliver.WriteRequest(c, req); err != nil {
		return err
	}
	q.log.Debugf("qmgr_deliver: site `%s'", e.queue.name)
	return nil
}

// deliverUpdate digests an agent's reply (qmgr_deliver_update): a
// whole-request problem with a reason is negative feedback for the
// destination, anything else positive.
func (q *qmgr) deliverUpdate(e *entry, status int, hop dsn.DSN) {
	dq := e.queue
	t := dq.transport
	m := e.msg
	if status == deliverCrash {
		hop = dsn.Simple("4.3.0", "unknown mail transport error")
	}
	if status == deliverCrash || status == deliverDefer {
		m.flags |= deliverDefer
		if hop.Status != "" {
			if dsn.Valid(hop.Status) == 0 {
				hop.Status = "4.0.0"
			}
			if hop.Reason == "" {
				hop.Reason = "unknown error"
			}
			hop.Reason = suspended + hop.Reason
			if dq.ready() {
				q.throttleQueue(dq, hop)
				if dq.throttled() {
					q.deferTodo(dq, hop)
				}
			}
		}
	}
	if status != deliverCrash {
		q.unthrottleTransport(t)
		if hop.Reason == "" && (dq.ready() || dq.throttled()) {
			q.unthrottleQueue(dq)
		}
	}
	q.entryDone(e)
}

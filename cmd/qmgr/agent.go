package main

import (
	"errors"
	"io"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/util/attr"
)

// Outcomes of a delivery attempt (qmgr_deliver.c DELIVER_STAT_*).
const (
	deliverOK    = 0
	deliverDefer = 1
	deliverCrash = 2
)

const suspended = "delivery temporarily suspended: "

// allocAgent connects to a delivery agent of transport t in the
// background (qmgr_transport_alloc); the manager continues in
// deliverTo once the agent has announced itself.
func (q *qmgr) allocAgent(t *transport) {
	if t.xportRateDelay > 0 {
		t.rateLock = true
	}
	t.pending++
	go func() {
		c, err := attr.DialService(q.s.QueueDir, "private", t.name, attr.Format0, q.cfg.ipcTimeout)
		if err != nil {
			q.log.Warnf("connect to transport private/%s: %s", t.name, strerror(errors.Unwrap(err)))
		} else {
			// Wait for the agent's greeting, bounded like Postfix's
			// daemon_timeout event.
			c.NetConn().SetReadDeadline(time.Now().Add(q.cfg.agentTimeout))
			if err := c.Wait(); err != nil && !errors.Is(err, io.EOF) {
				q.log.Fatalf("timeout connecting to transport: %s", t.name)
			}
		}
		if t.xportRateDelay > 0 {
			time.Sleep(t.xportRateDelay)
		}
		q.post(func() {
			t.pending--
			q.deliverTo(t, c)
		})
	}()
}

// deliverTo sends the next entry of t to a connected agent
// (qmgr_deliver).
func (q *qmgr) deliverTo(t *transport, c *attr.Conn) {
	if c == nil || q.initialReply(c) != 0 {
		d := dsn.Simple("4.3.0", "mail transport unavailable")
		q.throttleTransport(t, d)
		q.deferTransport(t, d)
		if c != nil {
			c.Close()
		}
		return
	}
	e := q.selectEntry(t)
	if e == nil {
		c.Close()
		return
	}
	if err := q.sendRequest(e, c); err != nil {
		q.log.Warnf("write to process (%s): %s", t.name, strerror(err))
		q.unselectEntry(e)
		d := dsn.Simple("4.3.0", "mail transport unavailable")
		q.throttleTransport(t, d)
		q.deferTransport(t, d)
		c.Close()
		return
	}
	q.deliverCount++
	id := e.msg.queueID
	go func() {
		c.Timeout = q.cfg.agentTimeout
		status, hop := q.finalReply(id, t.name, c)
		c.Close()
		q.post(func() {
			q.deliverCount--
			q.deliverUpdate(e, status, hop)
		})
	}()
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

// finalReply reads the agent's status (qmgr_deliver_final_reply); it
// runs off the manager goroutine.
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

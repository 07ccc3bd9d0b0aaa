package main

import (
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
)

// errorTransport returns the error or retry transport unless it is
// throttled (qmgr_error_transport).
func (q *qmgr) errorTransport(service string) *transport {
	t := q.findTransport(service)
	if t.dead {
		return nil
	}
	return t
}

// errorQueue returns the queue of the error or retry transport whose
// next hop carries the reason "X.Y.Z text" (qmgr_error_queue).
func (q *qmgr) errorQueue(service string, d dsn.DSN) *dqueue {
	t := q.errorTransport(service)
	if t == nil {
		return nil
	}
	nexthop := d.Status + " " + d.Reason
	dq := q.findQueue(t, nexthop, nexthop)
	if dq.throttled() {
		return nil
	}
	return dq
}

// deferTransport defers every todo entry of a transport
// (qmgr_defer_transport).
func (q *qmgr) deferTransport(t *transport, d dsn.DSN) {
	q.log.Debugf("qmgr_defer_transport: transport %s: status: %s reason: %s", t.name, d.Status, d.Reason)
	for _, dq := range append([]*dqueue(nil), t.queues...) {
		q.deferTodo(dq, d)
	}
}

// deferTodo hands the todo entries of a queue to the retry transport,
// or defers their recipients itself when that is throttled too
// (qmgr_defer_todo).
func (q *qmgr) deferTodo(dq *dqueue, d dsn.DSN) {
	retry := q.errorQueue("retry", d)
	for _, e := range dq.todo.slice() {
		if retry != nil {
			q.moveTodo(retry, e)
			continue
		}
		for _, r := range e.rcpts {
			q.deferRecipient(e.msg, r, d)
		}
		q.entryDone(e)
	}
}

// deferRecipient defers one recipient through the defer service
// (qmgr_defer_recipient).
func (q *qmgr) deferRecipient(m *message, r deliver.Recipient, d dsn.DSN) {
	m.flags |= q.status.DeferAppend(m.tflags, m.queueID, m.stats(), r, "none", d)
}

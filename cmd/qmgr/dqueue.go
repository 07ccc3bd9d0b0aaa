package main

import (
	"time"

	"gopostfix/libglobal/dsn"
)

// Queue window values that are states (QMGR_QUEUE_STAT_*).
const (
	queueThrottled = 0
	queueSuspended = -1
)

// dqueue is one destination queue of a transport (QMGR_QUEUE).
type dqueue struct {
	name, nexthop string
	transport     *transport
	dflags        int
	lastDone      time.Time
	todo          dlist[entry]
	busy          int
	window        int
	success       float64
	failure       float64
	failCohorts   float64
	dsn           *dsn.DSN
	clogWarn      time.Time
	timer         *timer
	blockerTag    int // the transport's tag while it blocks jobs
}

func (dq *dqueue) ready() bool     { return dq.window > 0 }
func (dq *dqueue) throttled() bool { return dq.window == queueThrottled }
func (dq *dqueue) suspended() bool { return dq.window == queueSuspended }
func (dq *dqueue) todoCount() int  { return dq.todo.len() }
func (dq *dqueue) empty() bool     { return dq.todo.empty() && dq.busy == 0 }

// findQueue returns or creates the queue name of transport t
// (qmgr_queue_find, qmgr_queue_create).
func (q *qmgr) findQueue(t *transport, name, nexthop string) *dqueue {
	if dq := t.byName[name]; dq != nil {
		return dq
	}
	dq := &dqueue{name: name, nexthop: nexthop, transport: t, window: t.initDestConc,
		todo: newList(queueEntryLinks)}
	t.queues = append(t.queues, dq)
	t.byName[name] = dq
	q.queueCount++
	return dq
}

// queueDone forgets an empty, ready queue (qmgr_queue_done).
func (q *qmgr) queueDone(dq *dqueue) {
	if !dq.empty() || !dq.ready() || dq.dsn != nil {
		panic("qmgr_queue_done: queue " + dq.name + " busy or not ready")
	}
	t := dq.transport
	for i, x := range t.queues {
		if x == dq {
			t.queues = append(t.queues[:i], t.queues[i+1:]...)
			break
		}
	}
	delete(t.byName, dq.name)
	q.queueCount--
}

// suspendQueue pauses a queue for the rate delay (qmgr_queue_suspend);
// when it resumes, the jobs it blocked are reconsidered
// (qmgr_queue_resume).
func (q *qmgr) suspendQueue(dq *dqueue, d time.Duration) {
	dq.window = queueSuspended
	dq.timer = q.after(d, func() {
		dq.window = 1
		if dq.ready() && dq.empty() {
			q.queueDone(dq)
		} else {
			q.blockerUpdate(dq)
		}
	})
}

// unthrottleQueue is positive feedback after a delivery, or the end of
// a throttle (qmgr_queue_unthrottle).
func (q *qmgr) unthrottleQueue(dq *dqueue) {
	t := dq.transport
	dq.failCohorts = 0
	if dq.throttled() {
		dq.timer.cancel()
		dq.timer = nil
		dq.dsn = nil
		if dq.busy > 0 {
			dq.window = dq.busy
		} else {
			dq.window = t.initDestConc
		}
		dq.success, dq.failure = 0, 0
		q.logWindow("qmgr_queue_unthrottle", dq)
		return
	}
	if t.destConcLimit == 0 || t.destConcLimit > dq.window {
		if dq.window < dq.busy+t.initDestConc {
			fb := t.pos.value(dq.window)
			q.logFeedback("qmgr_queue_unthrottle", dq, fb)
			dq.success += fb
			for dq.success+fb/2 >= float64(t.pos.hysteri) {
				dq.window += t.pos.hysteri
				dq.success -= float64(t.pos.hysteri)
				dq.failure = 0
			}
			if t.destConcLimit > 0 && dq.window > t.destConcLimit {
				dq.window = t.destConcLimit
			}
		}
	}
	q.logWindow("qmgr_queue_unthrottle", dq)
}

// throttleQueue is negative feedback; enough failed pseudo-cohorts make
// the destination dead until minimal_backoff_time has passed
// (qmgr_queue_throttle).
func (q *qmgr) throttleQueue(dq *dqueue, d dsn.DSN) {
	t := dq.transport
	if !dq.ready() {
		panic("qmgr_queue_throttle: bad queue status")
	}
	dq.failCohorts += 1.0 / float64(dq.window)
	if t.failCohortLimit > 0 && dq.failCohorts >= float64(t.failCohortLimit) {
		dq.window = queueThrottled
	}
	if dq.ready() {
		fb := t.neg.value(dq.window)
		q.logFeedback("qmgr_queue_throttle", dq, fb)
		dq.failure -= fb
		for dq.failure-fb/2 < 0 {
			dq.window -= t.neg.hysteri
			dq.success = 0
			dq.failure += float64(t.neg.hysteri)
		}
		if dq.window < 1 {
			dq.window = 1
		}
	}
	if dq.throttled() {
		dq.dsn = &d
		dq.timer = q.after(q.cfg.minBackoff, func() {
			q.unthrottleQueue(dq)
			if dq.ready() && dq.empty() {
				q.queueDone(dq)
			}
		})
		dq.dflags = 0
	}
	q.logWindow("qmgr_queue_throttle", dq)
}

func errorOrRetry(dq *dqueue) bool {
	return dq.transport.name == "error" || dq.transport.name == "retry"
}

func (q *qmgr) logFeedback(fn string, dq *dqueue, fb float64) {
	if q.cfg.feedbackDebug && !errorOrRetry(dq) {
		q.log.Infof("%s: feedback %g", fn, fb)
	}
}

func (q *qmgr) logWindow(fn string, dq *dqueue) {
	if q.cfg.feedbackDebug && !errorOrRetry(dq) {
		q.log.Infof("%s: queue %s: limit %d window %d success %g failure %g fail_cohorts %g",
			fn, dq.name, dq.transport.destConcLimit, dq.window, dq.success, dq.failure, dq.failCohorts)
	}
}

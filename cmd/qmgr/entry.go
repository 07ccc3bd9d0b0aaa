package main

import (
	"time"

	"gopostfix/libglobal/deliver"
)

// entry is one delivery request's worth of recipients (QMGR_ENTRY). It
// is on its queue's todo list until selected, and on its peer's list
// of entries while it waits.
type entry struct {
	msg       *message
	queue     *dqueue
	peer      *peer
	rcpts     []deliver.Recipient
	busy      bool         // selected: with a delivery agent
	queueLink links[entry] // on the queue's todo list
	peerLink  links[entry] // on the peer's entries
}

func queueEntryLinks(e *entry) *links[entry] { return &e.queueLink }
func peerEntryLinks(e *entry) *links[entry]  { return &e.peerLink }

// createEntry adds an empty entry for message m to peer p
// (qmgr_entry_create), with the clogged-queue warnings.
func (q *qmgr) createEntry(p *peer, m *message) *entry {
	dq := p.queue
	if dq.throttled() {
		panic("qmgr_entry_create: dead queue: " + dq.name)
	}
	e := &entry{msg: m, queue: dq, peer: p}
	m.refcount++
	p.entries.pushBack(e)
	p.refcount++
	dq.todo.pushBack(e)
	p.job.read++
	q.clogWarning(dq)
	return e
}

// clogWarning reports a destination that fills the active queue.
func (q *qmgr) clogWarning(dq *dqueue) {
	if !q.cfg.helpfulWarnings || q.cfg.clogWarnTime <= 0 {
		return
	}
	n := dq.todo.len() + dq.busy
	now := time.Now()
	if n <= q.cfg.activeLimit/5 || now.Before(dq.clogWarn) {
		return
	}
	share := float64(n) / float64(q.messageCount)
	q.log.Warnf("mail for %s is using up %d of %d active queue entries", dq.nexthop, n, q.messageCount)
	if share < 0.9 {
		q.log.Warnf("this may slow down other mail deliveries")
	}
	t := dq.transport
	switch {
	case t.destConcLimit > 0 && t.destConcLimit <= dq.busy+1:
		q.log.Warnf("you may need to increase the main.cf %s_destination_concurrency_limit from %d", t.name, t.destConcLimit)
	case float64(dq.window) > float64(q.cfg.activeLimit)*share:
		q.log.Warnf("you may need to increase the main.cf qmgr_message_active_limit from %d", q.cfg.activeLimit)
	case len(t.queues) > 1:
		q.log.Warnf("you may need a separate master.cf transport for %s", dq.nexthop)
	default:
		q.log.Warnf("you may need to reduce %s connect and helo timeouts", t.name)
		q.log.Warnf("so that Postfix quickly skips unavailable hosts")
		q.log.Warnf("you may need to increase the main.cf minimal_backoff_time and maximal_backoff_time")
		q.log.Warnf("so that Postfix wastes less time on undeliverable mail")
		q.log.Warnf("you may need to increase the master.cf %s process limit", t.name)
	}
	q.log.Warnf("please avoid flushing the whole queue when you have")
	q.log.Warnf("lots of deferred mail, that is bad for performance")
	q.log.Warnf("to turn off these warnings specify: qmgr_clog_warn_time = 0")
	dq.clogWarn = now.Add(q.cfg.clogWarnTime)
}

// takeEntry moves the peer's first entry from todo to busy
// (qmgr_entry_select), deciding about on-demand connection caching.
func (q *qmgr) takeEntry(p *peer) *entry {
	e := p.entries.first()
	dq := e.queue
	dq.todo.remove(e)
	dq.busy++
	e.busy = true
	p.entries.remove(e)
	p.job.selected++
	// Caching starts with back-to-back deliveries and stays on while
	// deliveries are concurrent or back to back.
	backToBack := !dq.lastDone.IsZero() && dq.lastDone.Unix()+1 >= time.Now().Unix()
	if dq.dflags&deliver.FlagConnStore == 0 {
		if backToBack {
			dq.dflags |= deliver.FlagConnMask
		}
	} else if !(dq.busy > 1 || backToBack) {
		dq.dflags &^= deliver.FlagConnStore
	}
	return e
}

// unselectEntry puts a selected entry back where it was
// (qmgr_entry_unselect).
func (q *qmgr) unselectEntry(e *entry) {
	dq := e.queue
	dq.busy--
	e.busy = false
	dq.todo.pushBack(e)
	e.peer.entries.pushFront(e)
	e.peer.job.selected--
}

// entryDone disposes of an entry after delivery or deferral
// (qmgr_entry_done): recipient slots go back to the jobs that lent
// them, blocked jobs are reconsidered, and the message is finished when
// it was its last entry.
func (q *qmgr) entryDone(e *entry) {
	dq := e.queue
	m := e.msg
	p := e.peer
	j := p.job
	t := j.transport
	wasBusy := e.busy
	if wasBusy {
		dq.busy--
	} else {
		p.entries.remove(e)
		j.selected++
		dq.todo.remove(e)
	}
	n := len(e.rcpts)
	j.rcptCount -= n
	m.rcptCount -= n
	q.recipientCount -= n
	e.rcpts = nil

	for _, sponsor := range m.jobs {
		if sponsor.rcptCount >= sponsor.rcptLimit || sponsor == j {
			continue
		}
		if sponsor.level < 0 || m.rcptOffset == 0 {
			q.moveLimits(sponsor)
		}
	}
	if m.rcptOffset == 0 {
		q.moveLimits(j)
	}

	// A rate-limited destination pauses after each delivery; the
	// blocker update then waits until it resumes.
	if wasBusy && t.rateDelay > 0 {
		if dq.throttled() {
			q.unthrottleQueue(dq)
		}
		if dq.ready() {
			q.suspendQueue(dq, t.rateDelay)
		}
	}
	if !dq.suspended() && dq.blockerTag == t.blockerTag {
		q.blockerUpdate(dq)
	}
	p.refcount--
	if p.refcount == 0 {
		j.freePeer(p)
	}
	if wasBusy {
		dq.lastDone = time.Now()
	}
	if dq.empty() {
		if dq.throttled() && q.queueCount > 2*q.cfg.rcptLimit {
			q.unthrottleQueue(dq)
		}
		if dq.ready() {
			q.queueDone(dq)
		}
	}
	m.refcount--
	if m.refcount == 0 {
		q.activeDone(m)
	}
}

// moveTodo moves a todo entry to another queue, as when its
// destination is deferred to the retry transport (qmgr_entry_move_todo).
// The per-request recipient limit is not applied there.
func (q *qmgr) moveTodo(dst *dqueue, e *entry) {
	m := e.msg
	src := e.peer.job
	dj := q.obtainJob(m, dst.transport)
	ne := q.createEntry(dj.obtainPeer(dst), m)
	ne.rcpts, e.rcpts = e.rcpts, nil
	src.rcptCount -= len(ne.rcpts)
	dj.rcptCount += len(ne.rcpts)
	q.entryDone(e)
}

package main

import (
	"time"

	"gopostfix/libglobal/deliver"
)

// job is a message's share of one transport (QMGR_JOB), and peer its
// share of one destination queue (QMGR_PEER).
type job struct {
	msg       *message
	transport *transport
	peers     []*peer // round-robin order
	byQueue   map[*dqueue]*peer
	linked    bool // on the transport's job list
}

type peer struct {
	job     *job
	queue   *dqueue
	entries []*entry // todo entries of this message for this queue
	refs    int
}

// entry is one delivery request's worth of recipients (QMGR_ENTRY).
type entry struct {
	msg   *message
	queue *dqueue
	peer  *peer
	rcpts []deliver.Recipient
	busy  bool
}

// obtainJob returns the message's job for transport t, linking it to the
// transport (qmgr_job_obtain).
func (q *qmgr) obtainJob(m *message, t *transport) *job {
	var j *job
	for _, x := range m.jobs {
		if x.transport == t {
			j = x
		}
	}
	if j == nil {
		j = &job{msg: m, transport: t, byQueue: map[*dqueue]*peer{}}
		m.jobs = append(m.jobs, j)
	}
	if !j.linked {
		t.jobs = append(t.jobs, j)
		j.linked = true
	}
	return j
}

// obtainPeer returns the job's peer for queue dq (qmgr_peer_obtain).
func (j *job) obtainPeer(dq *dqueue) *peer {
	if p := j.byQueue[dq]; p != nil {
		return p
	}
	p := &peer{job: j, queue: dq}
	j.byQueue[dq] = p
	j.peers = append(j.peers, p)
	return p
}

// freePeer forgets a peer without entries (qmgr_peer_free).
func (j *job) freePeer(p *peer) {
	delete(j.byQueue, p.queue)
	for i, x := range j.peers {
		if x == p {
			j.peers = append(j.peers[:i], j.peers[i+1:]...)
			return
		}
	}
}

// hasEntries reports whether the job has entries not yet selected.
func (j *job) hasEntries() bool {
	for _, p := range j.peers {
		if len(p.entries) > 0 {
			return true
		}
	}
	return false
}

// createEntry adds an empty entry for message m to peer p
// (qmgr_entry_create), with the clogged-queue warnings.
func (q *qmgr) createEntry(p *peer, m *message) *entry {
	dq := p.queue
	if dq.throttled() {
		panic("qmgr_entry_create: dead queue: " + dq.name)
	}
	e := &entry{msg: m, queue: dq, peer: p}
	m.refcount++
	p.entries = append(p.entries, e)
	p.refs++
	dq.todo = append(dq.todo, e)
	q.clogWarning(dq)
	return e
}

// clogWarning reports a destination that fills the active queue.
func (q *qmgr) clogWarning(dq *dqueue) {
	if !q.cfg.helpfulWarnings || q.cfg.clogWarnTime <= 0 {
		return
	}
	n := len(dq.todo) + dq.busy
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

// selectEntry picks the next entry to deliver for transport t
// (qmgr_job_entry_select), oldest job first.
func (q *qmgr) selectEntry(t *transport) *entry {
	for _, j := range append([]*job(nil), t.jobs...) {
		if p := q.selectPeer(j); p != nil {
			e := q.takeEntry(p)
			if !j.hasEntries() && j.msg.rcptOffset == 0 {
				t.unlinkJob(j)
			}
			return e
		} else if !j.hasEntries() {
			t.unlinkJob(j)
		}
	}
	return nil
}

// selectPeer finds a destination of job j that can take a delivery,
// reading more recipients when useful (qmgr_job_peer_select).
func (q *qmgr) selectPeer(j *job) *peer {
	m := j.msg
	t := j.transport
	if m.rcptOffset != 0 && m.refcount > 0 &&
		(m.rcptLimit-m.rcptCount >= t.refillLimit ||
			(m.rcptLimit > m.rcptCount && time.Since(m.refillTime) >= t.refillDelay)) {
		q.reallocMessage(m)
	}
	if p := j.readyPeer(); p != nil {
		return p
	}
	if m.rcptOffset != 0 && m.refcount > 0 && m.rcptLimit > m.rcptCount {
		q.reallocMessage(m)
		return j.readyPeer()
	}
	return nil
}

// readyPeer is qmgr_peer_select: a peer with entries whose queue has
// room in its window, rotated to the end.
func (j *job) readyPeer() *peer {
	for i, p := range j.peers {
		if p.queue.window > p.queue.busy && len(p.entries) > 0 {
			j.peers = append(append(j.peers[i+1:len(j.peers):len(j.peers)], j.peers[:i]...), p)
			return p
		}
	}
	return nil
}

// takeEntry moves the peer's first entry from todo to busy
// (qmgr_entry_select), deciding about on-demand connection caching.
func (q *qmgr) takeEntry(p *peer) *entry {
	e := p.entries[0]
	p.entries = p.entries[1:]
	dq := e.queue
	dq.todo = removeEntry(dq.todo, e)
	dq.busy++
	e.busy = true
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

// unselectEntry puts an entry back (qmgr_entry_unselect).
func (q *qmgr) unselectEntry(e *entry) {
	dq := e.queue
	dq.busy--
	e.busy = false
	dq.todo = append(dq.todo, e)
	e.peer.entries = append([]*entry{e}, e.peer.entries...)
	q.obtainJob(e.msg, dq.transport)
}

// entryDone disposes of an entry after delivery or deferral
// (qmgr_entry_done).
func (q *qmgr) entryDone(e *entry) {
	dq := e.queue
	m := e.msg
	p := e.peer
	t := dq.transport
	wasBusy := e.busy
	if wasBusy {
		dq.busy--
	} else {
		p.entries = removeEntry(p.entries, e)
		dq.todo = removeEntry(dq.todo, e)
	}
	m.rcptCount -= len(e.rcpts)
	q.recipientCount -= len(e.rcpts)
	if wasBusy && t.rateDelay > 0 {
		if dq.throttled() {
			q.unthrottleQueue(dq)
		}
		if dq.ready() {
			q.suspendQueue(dq, t.rateDelay)
		}
	}
	p.refs--
	if p.refs == 0 {
		p.job.freePeer(p)
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

// moveTodo moves a todo entry to another queue (qmgr_entry_move_todo).
func (q *qmgr) moveTodo(dst *dqueue, e *entry) {
	j := q.obtainJob(e.msg, dst.transport)
	p := j.obtainPeer(dst)
	ne := q.createEntry(p, e.msg)
	ne.rcpts, e.rcpts = e.rcpts, nil
	q.entryDone(e)
}

func removeEntry(list []*entry, e *entry) []*entry {
	for i, x := range list {
		if x == e {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

package main

import "time"

// The preemptive job scheduler (qmgr_job.c, SCHEDULER_README). Each
// transport delivers the job at the head of its scheduler list (the
// "current" job) until a smaller job has earned the right to go first:
// every entry selected for a job earns it one delivery slot, and once
// the current job has earned slot_cost slots per entry of a waiting
// job, that job preempts it (sooner with the slot loan). A job that
// cannot be served because all its destinations are at their
// concurrency limit is a "blocker" and is skipped until one of its
// queues has room again.

// countSlots accounts for one selected entry of j (qmgr_job_count_slots).
func (q *qmgr) countSlots(j *job) {
	j.slotsAvailable++
	j.slotsUsed++
	if j != j.transport.candCacheCurrent {
		j.transport.candCacheCurrent = nil
	}
}

// candidate finds the job that may best preempt current: the one with
// the highest time in the active queue per recipient among those that
// fit into the slots current can still earn (qmgr_job_candidate). The
// answer is cached for the current job within one second.
func (q *qmgr) candidate(current *job) *job {
	t := current.transport
	now := time.Now().Unix()
	if t.candCacheCurrent == current && (t.candCacheTime == now || t.candCache == nil) {
		return t.candCache
	}
	var best *job
	bestScore := 0.0
	maxSlots := (current.minEntries() - current.selected + current.slotsAvailable) / t.slotCost
	if maxSlots > 0 {
		// Only jobs after current are candidates: those before it are
		// its stack children already. Leaf children of other stacks
		// are fine, stack parents are not.
		for j := t.jobs.next(current); j != nil; j = t.jobs.next(j) {
			if !j.children.empty() || j.isBlocker() {
				continue
			}
			total := j.maxEntries()
			needed := total - j.selected
			delay := now - j.msg.queuedTime + 1
			if needed > 0 && needed <= maxSlots {
				if score := float64(delay) / float64(total); score > bestScore {
					best, bestScore = j, score
				}
			}
			// Later jobs on level 0 were queued later: none can beat
			// a score of this delay.
			if float64(delay) <= bestScore && j.level == 0 {
				break
			}
		}
	}
	t.candCache, t.candCacheCurrent, t.candCacheTime = best, current, now
	return best
}

// preempt returns the job to serve instead of current: a candidate
// that current's slots pay for, put in front of it as its stack child,
// or current itself (qmgr_job_preempt).
func (q *qmgr) preempt(current *job) *job {
	t := current.transport
	if current.slotsAvailable <= 0 || current.maxEntries() < t.minSlots*t.slotCost {
		return current
	}
	j := q.candidate(current)
	if j == nil {
		return current
	}
	if j == current || !j.children.empty() || j.level < 0 {
		panic("qmgr_job_preempt: bad candidate " + j.msg.queueID)
	}
	// The loan lets preemption happen before all slots are earned; they
	// are still paid for in full before current can be preempted again.
	expected := j.maxEntries() - j.selected
	if float64(current.slotsAvailable/t.slotCost+t.slotLoan) < float64(expected*t.slotLoanFactor)/100.0 {
		return current
	}
	if j.level > 0 {
		q.popJob(j)
	}
	t.jobs.remove(j)
	t.jobs.insert(t.jobs.prev(current), j, current)
	j.parent = current
	current.children.pushBack(j)
	j.level = current.level + 1
	t.current = j
	t.candCacheCurrent = nil
	// Several jobs may preempt current at once: charge the slots now,
	// and settle the difference when j leaves the stack (slotsUsed
	// counts from -expected).
	current.slotsAvailable -= expected * t.slotCost
	j.slotsUsed = -expected
	// A preempting job with unread recipients gets a share of the
	// extra slots reserved for job stacks.
	if j.msg.rcptOffset != 0 {
		slots := (t.rcptPerStack + t.rcptUnused + 1) / 2
		j.rcptLimit += slots
		j.msg.rcptLimit += slots
		t.rcptUnused -= slots
	}
	q.log.Debugf("qmgr_job_preempt: %s by %s, level %d", current.msg.queueID, j.msg.queueID, j.level)
	return j
}

// popJob takes a job off its preemption stack, back to level 0; the
// caller places it on the list (qmgr_job_pop).
func (q *qmgr) popJob(j *job) {
	t := j.transport
	q.log.Debugf("qmgr_job_pop: %s", j.msg.queueID)
	if j.level <= 0 {
		panic("qmgr_job_pop: not on the job stack")
	}
	// Give the parent back what j did not use; only the parent j
	// preempted, and without touching its slotsUsed.
	parent := j.parent
	if parent != nil && j.level == parent.level+1 {
		parent.slotsAvailable -= j.slotsUsed * t.slotCost
	}
	if parent != nil {
		parent.children.remove(j)
		j.parent = nil
	}
	parentGone(j, parent)
	j.level = 0
	t.candCacheCurrent = nil
}

// peerSelect finds a destination of job j that can take a delivery,
// reading more recipients first when enough slots are free or enough
// time has passed, and again when nothing in core can go
// (qmgr_job_peer_select). A message whose last entry is being finished
// (refcount 0) is not read.
func (q *qmgr) peerSelect(j *job) *peer {
	m := j.msg
	t := j.transport
	if m.rcptOffset != 0 && m.refcount > 0 &&
		(m.rcptLimit-m.rcptCount >= t.refillLimit ||
			(m.rcptLimit > m.rcptCount && time.Now().Unix()-m.refillTime >= int64(t.refillDelay/time.Second))) {
		q.reallocMessage(m)
	}
	if j.hasEntries() {
		if p := j.readyPeer(); p != nil {
			return p
		}
	}
	if m.rcptOffset != 0 && m.refcount > 0 && m.rcptLimit > m.rcptCount {
		q.reallocMessage(m)
		if j.hasEntries() {
			return j.readyPeer()
		}
	}
	return nil
}

// selectEntry picks the next entry to deliver for transport t
// (qmgr_job_entry_select): the current job's, or a preempting job's,
// skipping jobs whose destinations are all busy (marked as blockers
// with their queues) and retiring jobs with nothing to select.
func (q *qmgr) selectEntry(t *transport) *entry {
	j := t.current
	if j == nil {
		return nil
	}
	if t.slotCost >= 2 {
		j = q.preempt(j)
	}
	for next := (*job)(nil); j != nil; j = next {
		next = t.jobs.next(j)
		if j.isBlocker() {
			continue
		}
		if p := q.peerSelect(j); p != nil {
			e := q.takeEntry(p)
			q.countSlots(j)
			t.current = j
			// Selected entries are only put back before the message is
			// deferred, so a job without entries stays retired until
			// more recipients are read.
			if !j.hasEntries() && j.msg.rcptOffset == 0 {
				q.retireJob(j)
			}
			return e
		} else if j.hasEntries() {
			j.blockerTag = t.blockerTag
			for p := j.peers.first(); p != nil; p = j.peers.next(p) {
				if !p.entries.empty() {
					p.queue.blockerTag = t.blockerTag
				}
			}
		} else {
			// Stalled: all its entries are busy or gone.
			q.retireJob(j)
		}
	}
	t.current = nil
	return nil
}

// blockerUpdate reconsiders the jobs blocked by queue dq after its
// window changed (qmgr_job_blocker_update): when it can take a
// delivery, a new tag unmarks every blocker of the transport at once.
// Tags stay odd so that a zero tag never matches.
func (q *qmgr) blockerUpdate(dq *dqueue) {
	t := dq.transport
	if dq.blockerTag != t.blockerTag {
		return
	}
	if dq.window > dq.busy && !dq.todo.empty() {
		t.blockerTag += 2
		t.current = t.jobs.first()
		t.candCacheCurrent = nil
	}
	if dq.window > dq.busy || dq.throttled() {
		dq.blockerTag = 0
	}
}

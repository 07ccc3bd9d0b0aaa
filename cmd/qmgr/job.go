package main

// job is a message's share of one transport (QMGR_JOB): its entries for
// the transport's destinations, grouped per destination in peers, and
// its place in the transport's scheduler. Jobs sit on two transport
// lists: the scheduler list, where a preempting job is put in front of
// the job it preempts, and the list by the time the message entered the
// active queue. A preempting job is a stack child of the job it
// preempted; stack level 0 is "not preempting", -1 "on no list"
// (retired, or not linked yet).
type job struct {
	msg       *message
	transport *transport

	sched, byTime links[job] // transport lists
	sibling       links[job] // parent's children
	parent        *job
	children      dlist[job]
	level         int
	blockerTag    int

	peers   dlist[peer] // round-robin order
	byQueue map[*dqueue]*peer

	slotsUsed      int // slots used while preempting (see preempt)
	slotsAvailable int // slots earned towards preempting this job
	selected       int // entries selected for delivery (or deferred)
	read           int // entries created
	rcptCount      int // recipient slots in use
	rcptLimit      int // recipient slots granted
}

func schedLinks(j *job) *links[job]   { return &j.sched }
func timeLinks(j *job) *links[job]    { return &j.byTime }
func siblingLinks(j *job) *links[job] { return &j.sibling }

// hasEntries reports whether entries wait for selection (HAS_ENTRIES).
func (j *job) hasEntries() bool { return j.selected < j.read }

// minEntries and maxEntries bound the entries the job will have: those
// read so far, plus one per recipient not read yet.
func (j *job) minEntries() int { return j.read }
func (j *job) maxEntries() int { return j.read + j.msg.rcptUnread }

// isBlocker reports whether the job is known to wait for busy
// destinations.
func (j *job) isBlocker() bool { return j.blockerTag == j.transport.blockerTag }

// newJob creates the job of message m for transport t (qmgr_job_create).
func newJob(m *message, t *transport) *job {
	j := &job{msg: m, transport: t, level: -1, byQueue: map[*dqueue]*peer{},
		children: newList(siblingLinks), peers: newList(peerLinks)}
	m.jobs = append(m.jobs, j)
	t.jobByID[m.queueID] = j
	return j
}

// linkJob puts a job on the transport's lists after the jobs that were
// queued no later than it, and gives it the transport's unused
// recipient slots (qmgr_job_link). On the scheduler list only jobs that
// preempt nothing count: children stay in front of their parents.
func (q *qmgr) linkJob(j *job) {
	t, m := j.transport, j.msg
	if j.level >= 0 {
		panic("qmgr_job_link: already on the job lists")
	}
	current := t.current
	var prev, next *job
	for prev = t.jobs.last(); prev != nil; next, prev = prev, t.jobs.prev(prev) {
		if prev.parent == nil && m.queuedTime >= prev.msg.queuedTime {
			break
		}
		if current == prev {
			current = nil
		}
	}
	listPrev, listNext := prev, next
	unread := t.nextUnread
	next = nil
	for prev = t.byTime.last(); prev != nil; next, prev = prev, t.byTime.prev(prev) {
		if m.queuedTime >= prev.msg.queuedTime {
			break
		}
		if unread == prev {
			unread = nil
		}
	}
	j.level = 0
	t.jobs.insert(listPrev, j, listNext)
	t.byTime.insert(prev, j, next)
	if current == nil {
		t.current = j
	}
	// The first job with unread recipients gets the slots others leave.
	if unread == nil {
		unread = t.nextUnread
		t.nextUnread = j
		if unread != nil {
			q.moveLimits(unread)
		}
	}
	if t.rcptUnused > 0 {
		j.rcptLimit += t.rcptUnused
		m.rcptLimit += t.rcptUnused
		t.rcptUnused = 0
	}
}

// obtainJob returns the message's job for transport t, linking it to
// the transport's lists, ready for more recipients (qmgr_job_obtain).
func (q *qmgr) obtainJob(m *message, t *transport) *job {
	j := t.jobByID[m.queueID]
	if j == nil {
		j = newJob(m, t)
	}
	if j.level < 0 {
		q.linkJob(j)
	}
	// New recipients change the candidates, and a blocker may have
	// something to deliver now.
	t.candCacheCurrent = nil
	if j.isBlocker() {
		j.blockerTag = 0
		t.current = t.jobs.first()
	}
	return j
}

// moveLimits hands the job's unused recipient slots back to the
// transport and on to the first job that still has recipients to read
// (qmgr_job_move_limits). It runs whenever slots may have become free.
func (q *qmgr) moveLimits(j *job) {
	t, m := j.transport, j.msg
	next := t.nextUnread
	if j == next {
		for next = t.byTime.next(next); next != nil; next = t.byTime.next(next) {
			if next.msg.rcptOffset != 0 {
				break
			}
		}
		t.nextUnread = next
	}
	unused := min(j.rcptLimit-j.rcptCount, m.rcptLimit-m.rcptCount)
	if unused > 0 {
		j.rcptLimit -= unused
		m.rcptLimit -= unused
		t.rcptUnused += unused
		if next != nil && t.rcptUnused > 0 {
			next.rcptLimit += t.rcptUnused
			next.msg.rcptLimit += t.rcptUnused
			t.rcptUnused = 0
		}
	}
}

// parentGone hands the job's stack children to parent, or orphans them
// when parent is nil (qmgr_job_parent_gone).
func parentGone(j, parent *job) {
	for child := j.children.first(); child != nil; child = j.children.first() {
		j.children.remove(child)
		if parent != nil {
			parent.children.pushBack(child)
		}
		child.parent = parent
	}
}

// unlinkJob takes a job off the transport's lists (qmgr_job_unlink).
func (q *qmgr) unlinkJob(j *job) {
	t := j.transport
	if j.level != 0 || j.parent != nil {
		panic("qmgr_job_unlink: job " + j.msg.queueID + " is on a job stack")
	}
	parentGone(j, nil)
	if t.current == j {
		t.current = t.jobs.next(j)
	}
	if j == t.candCache || j == t.candCacheCurrent {
		t.candCacheCurrent = nil
	}
	t.jobs.remove(j)
	t.byTime.remove(j)
	j.level = -1
}

// retireJob takes a job with nothing left to select off the lists while
// its deliveries finish; more recipients bring it back (qmgr_job_retire).
func (q *qmgr) retireJob(j *job) {
	q.log.Debugf("qmgr_job_retire: %s", j.msg.queueID)
	if j.level > 0 {
		q.popJob(j)
	}
	q.moveLimits(j)
	q.unlinkJob(j)
}

// freeJob disposes of a job whose recipients are all done
// (qmgr_job_free).
func (q *qmgr) freeJob(j *job) {
	m, t := j.msg, j.transport
	q.log.Debugf("qmgr_job_free: %s %s", m.queueID, t.name)
	if j.rcptCount != 0 {
		panic("qmgr_job_free: non-zero recipient count")
	}
	if j.level > 0 {
		q.popJob(j)
	}
	q.moveLimits(j)
	if j.rcptLimit != 0 {
		panic("qmgr_job_free: recipient slots leak")
	}
	if j.level >= 0 {
		q.unlinkJob(j)
	}
	for i, x := range m.jobs {
		if x == j {
			m.jobs = append(m.jobs[:i], m.jobs[i+1:]...)
			break
		}
	}
	delete(t.jobByID, m.queueID)
}
